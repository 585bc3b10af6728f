package io.klingbatch.schedule;

import java.util.Map;

/**
 * {@code schedule --port P}: the settings that make the scheduler's context a web application serving Spring Boot
 * Actuator's {@code /actuator/health} and {@code /actuator/prometheus} (the meters of {@link RunMetrics}, the connection
 * pool's, the JVM's) on the loopback only. Without {@code --port} (and for every other command) the context has no web
 * server at all.
 */
public final class MonitoringServer {

    private MonitoringServer() {
    }

    public static Map<String, Object> properties(int port) {
        return Map.of(
                MonitoringOnly.PROPERTY, true,
                "spring.main.web-application-type", "servlet",
                "server.address", "127.0.0.1",
                "server.port", port,
                "management.endpoints.web.exposure.include", "health,prometheus",
                "management.endpoint.health.show-details", "always");
    }
}
