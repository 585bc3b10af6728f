package io.klingbatch.schedule;

import io.klingbatch.segmind.Sleeper;
import java.io.IOException;
import java.net.URI;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Posts a run's summary to a job file's {@code notify: webhook-url:}. A short timeout per try, a few tries with jittered
 * exponential backoff (Spring's {@link ExponentialBackOff}), and never an exception: a notification that cannot be
 * delivered is logged, and the run's outcome and exit code stay what they were. The URL's path and query (where chat
 * services keep their secret) are never logged.
 */
@Component
public class WebhookNotifier implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(WebhookNotifier.class);

    private final NotifyProperties properties;
    private final Sleeper sleeper;
    private CloseableHttpClient http;

    WebhookNotifier(NotifyProperties properties, Sleeper sleeper) {
        this.properties = properties;
        this.sleeper = sleeper;
    }

    /** Made on first use: most runs notify nobody, and a TLS-capable client costs start-up time. */
    private synchronized CloseableHttpClient http() {
        if (http != null) {
            return http;
        }
        Timeout timeout = Timeout.of(properties.timeout());
        http = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(timeout).setSocketTimeout(timeout).build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(timeout).setConnectionRequestTimeout(timeout)
                        .setRedirectsEnabled(false).build())
                .disableAutomaticRetries()
                .setUserAgent("kling-batch")
                .build();
        return http;
    }

    /** Sends {@code json} to {@code url}; whether it was accepted (a 2xx). */
    public boolean send(URI url, String json) {
        ExponentialBackOff policy = new ExponentialBackOff(properties.firstRetry().toMillis(), 2.0);
        policy.setJitter(properties.firstRetry().toMillis() / 2);
        policy.setMaxInterval(Math.max(properties.firstRetry().toMillis(), 30_000));
        policy.setMaxAttempts(Math.max(0, properties.attempts() - 1));
        BackOffExecution backOff = policy.start();
        String where = where(url);
        for (int attempt = 1; ; attempt++) {
            String failure;
            boolean again;
            try {
                HttpPost post = new HttpPost(url);
                post.setEntity(new StringEntity(json, ContentType.APPLICATION_JSON));
                int status = http().execute(post, response -> {
                    EntityUtils.consume(response.getEntity());
                    return response.getCode();
                });
                if (status >= 200 && status < 300) {
                    log.info("notified {} (HTTP {}, attempt {})", where, status, attempt);
                    return true;
                }
                failure = "HTTP " + status;
                again = status >= 500 || status == 408 || status == 429;
            } catch (IOException | RuntimeException e) {
                failure = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                again = true;
            }
            long wait = again ? backOff.nextBackOff() : BackOffExecution.STOP;
            if (wait == BackOffExecution.STOP) {
                log.warn("could not notify {} after {} {} ({}); the run's outcome is unchanged", where, attempt, attempt == 1 ? "try" : "tries", failure);
                return false;
            }
            log.info("notifying {} failed ({}), trying again in {} ms", where, failure, wait);
            try {
                sleeper.sleep(java.time.Duration.ofMillis(wait));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                log.warn("could not notify {}: interrupted", where);
                return false;
            }
        }
    }

    /** The webhook in words for the log: scheme, host and port only. */
    static String where(URI url) {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() >= 0 ? ":" + url.getPort() : "");
    }

    @Override
    public synchronized void destroy() throws IOException {
        if (http != null) {
            http.close();
        }
    }
}
