package io.klingbatch;

import java.nio.file.Path;

/**
 * Where kling-batch keeps its job repository (the H2 default) and its log: {@code $KLING_BATCH_HOME}, else
 * {@code .kling-batch} in the home directory, the {@code HOME} environment variable where set (which Java's
 * {@code user.home} ignores), else {@code user.home}. Never the working directory: a run from cron in another directory
 * must find what was paid. {@code application.yml} resolves the same rule as the property {@code kling.home}; this
 * class says it in messages before Spring has started.
 */
public final class KlingHome {

    private KlingHome() {
    }

    public static Path folder() {
        String explicit = System.getenv("KLING_BATCH_HOME");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit).toAbsolutePath().normalize();
        }
        String home = System.getenv("HOME");
        return Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"), ".kling-batch").toAbsolutePath().normalize();
    }

    /** The job repository in words, before Spring has read its settings: its URL without a password, or the H2 default. */
    public static String repository() {
        String url = System.getProperty("spring.datasource.url", System.getenv("SPRING_DATASOURCE_URL"));
        if (url == null || url.isBlank()) {
            return "the H2 database in " + folder();
        }
        return withoutPassword(url);
    }

    /** A JDBC URL fit for a sentence or a log line: any {@code password=} in it masked. */
    public static String withoutPassword(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }
}
