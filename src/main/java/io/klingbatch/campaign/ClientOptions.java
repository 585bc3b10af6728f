package io.klingbatch.campaign;

import java.time.Duration;

/**
 * HTTP client settings a job file may set for its campaign; null means "use the application setting".
 * Kept free of HTTP types so the campaign room does not depend on the client room.
 */
public record ClientOptions(Integer maxAttempts, Duration baseDelay, Duration connectTimeout, Duration responseTimeout) {

    public static final ClientOptions NONE = new ClientOptions(null, null, null, null);
}
