package io.klingbatch.job;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Step settings ({@code kling.job.*}).
 *
 * @param chunkSize rows per chunk transaction. Only speed and restart granularity depend on it: the ledger, not
 *                  the chunk, guarantees that a row is paid once, whatever the size.
 */
@Validated
@ConfigurationProperties("kling.job")
public record JobProperties(@DefaultValue("10") @Min(1) int chunkSize) {
}
