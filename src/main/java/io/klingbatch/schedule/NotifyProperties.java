package io.klingbatch.schedule;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How a run's end is told to a job file's webhook ({@code kling.notify.*}).
 *
 * @param attempts   tries in all (a 5xx, 408, 429 or no answer is tried again; another 4xx is not)
 * @param timeout    to connect, and to wait for the answer, per try
 * @param firstRetry the wait before the second try, doubled for each next one, jittered
 */
@ConfigurationProperties("kling.notify")
public record NotifyProperties(@DefaultValue("3") int attempts, @DefaultValue("10s") Duration timeout, @DefaultValue("1s") Duration firstRetry) {
}
