package io.klingbatch.job;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Step settings ({@code kling.job.*}).
 *
 * @param chunkSize rows per chunk transaction. Only speed and restart granularity depend on it: the ledger, not
 *                  the chunk, guarantees that a row is paid once, whatever the size.
 */
@ConfigurationProperties("kling.job")
public record JobProperties(@DefaultValue("10") int chunkSize) {

    /** Checked here rather than by Bean Validation (see {@link io.klingbatch.Settings}). */
    public JobProperties {
        io.klingbatch.Settings.positive(chunkSize, "kling.job.chunk-size");
    }
}
