package io.klingbatch.segmind;

import java.math.BigDecimal;
import java.time.Duration;
import org.springframework.util.unit.DataSize;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The built-in simulated API ({@code --simulate}).
 *
 * @param credits simulated balance at start, enough for any campaign by default (a 10 s video costs 0.88)
 * @param latency mean time per generation
 * @param sigma   0 for a fixed latency, else lognormal with this sigma
 * @param videoSize size of each simulated video (0: the built-in 3 KB sample); larger ones are streamed
 */
@ConfigurationProperties("kling.simulator")
public record SimulatorProperties(@DefaultValue("1000000") BigDecimal credits,
                                  @DefaultValue("400ms") Duration latency,
                                  @DefaultValue("0") double sigma,
                                  @DefaultValue("0B") DataSize videoSize) {
}
