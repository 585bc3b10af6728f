package io.klingbatch.schedule;

import java.util.List;
import org.springframework.boot.autoconfigure.AutoConfigurationImportFilter;
import org.springframework.boot.autoconfigure.AutoConfigurationMetadata;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * Keeps Actuator, Micrometer, the health contributors and the web server out of every context but {@code schedule --port}'s
 * ({@value #PROPERTY}), so {@code run}, {@code validate} and {@code status} start as fast as before they were on the class
 * path (their auto-configurations are dropped before any condition is evaluated). Without them {@link RunMetrics} counts
 * in a registry of its own that nobody reads.
 */
public final class MonitoringOnly implements AutoConfigurationImportFilter, EnvironmentAware {

    static final String PROPERTY = "kling.monitoring";

    private static final List<String> PACKAGES = List.of("org.springframework.boot.actuate.", "org.springframework.boot.micrometer.",
            "org.springframework.boot.health.", "org.springframework.boot.webmvc.", "org.springframework.boot.tomcat.",
            "org.springframework.boot.http.converter.", "org.springframework.boot.servlet.");
    private static final List<String> PARTS = List.of(".health.", ".metrics.", ".observation.", ".actuate.");

    private boolean monitoring;

    @Override
    public void setEnvironment(Environment environment) {
        monitoring = environment.getProperty(PROPERTY, Boolean.class, false);
    }

    @Override
    public boolean[] match(String[] autoConfigurationClasses, AutoConfigurationMetadata metadata) {
        boolean[] matches = new boolean[autoConfigurationClasses.length];
        for (int i = 0; i < autoConfigurationClasses.length; i++) {
            String name = autoConfigurationClasses[i];
            matches[i] = monitoring || name == null || !monitoringOnly(name);
        }
        return matches;
    }

    static boolean monitoringOnly(String autoConfiguration) {
        return PACKAGES.stream().anyMatch(autoConfiguration::startsWith) || PARTS.stream().anyMatch(autoConfiguration::contains)
                || autoConfiguration.endsWith("EndpointAutoConfiguration");
    }
}
