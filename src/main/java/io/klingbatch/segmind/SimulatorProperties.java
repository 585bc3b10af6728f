package io.klingbatch.segmind;

import java.math.BigDecimal;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The built-in simulated API ({@code --simulate}).
 *
 * @param credits simulated balance at start (a 10 s video costs 0.88)
 * @param latency mean time per generation
 * @param sigma   0 for a fixed latency, else lognormal with this sigma
 */
@ConfigurationProperties("kling.simulator")
public record SimulatorProperties(@DefaultValue("20") BigDecimal credits,
                                  @DefaultValue("400ms") Duration latency,
                                  @DefaultValue("0") double sigma) {
}
