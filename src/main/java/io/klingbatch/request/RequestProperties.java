package io.klingbatch.request;

import io.klingbatch.Settings;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Request rules that may change with the model, so they are settings rather than code.
 *
 * @param allowedModes values accepted in the {@code mode} column; only {@code pro} is seen for 2.5 Turbo,
 *                     other Kling models use {@code std}
 */
@ConfigurationProperties("kling.request")
public record RequestProperties(@DefaultValue("pro") List<String> allowedModes) {

    /** Checked here rather than by Bean Validation (see {@link Settings}). */
    public RequestProperties {
        Settings.require(allowedModes != null && !allowedModes.isEmpty(), "kling.request.allowed-modes", "must name at least one mode");
        allowedModes = List.copyOf(allowedModes);
    }
}
