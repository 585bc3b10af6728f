package io.klingbatch.money;

import java.math.BigDecimal;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Expected price of a video ({@code kling.cost.*}) until real calls have taught the cost model better (Segmind's
 * model page says about $0.44 for 5 s and $0.88 for 10 s).
 */
@ConfigurationProperties("kling.cost")
public record CostProperties(@DefaultValue("0.44") BigDecimal fiveSeconds, @DefaultValue("0.88") BigDecimal tenSeconds) {
}
