package io.klingbatch.request;

import jakarta.validation.constraints.NotEmpty;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Request rules that may change with the model, so they are settings rather than code.
 *
 * @param allowedModes values accepted in the {@code mode} column; only {@code pro} is seen for 2.5 Turbo,
 *                     other Kling models use {@code std}
 */
@Validated
@ConfigurationProperties("kling.request")
public record RequestProperties(@DefaultValue("pro") @NotEmpty List<String> allowedModes) {
}
