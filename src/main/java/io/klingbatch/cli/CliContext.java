package io.klingbatch.cli;

import java.nio.file.Path;
import java.util.function.Supplier;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What every command needs: where to speak, the working directory, and the Spring context, started only when
 * a command first asks for it (so {@code --help} and usage errors answer at once).
 */
final class CliContext implements AutoCloseable {

    final Console console;
    final Path workingDirectory;
    private final Supplier<ConfigurableApplicationContext> starter;
    private final boolean closeWhenDone;
    private ConfigurableApplicationContext context;

    CliContext(Console console, Path workingDirectory, Supplier<ConfigurableApplicationContext> starter, boolean closeWhenDone) {
        this.console = console;
        this.workingDirectory = workingDirectory;
        this.starter = starter;
        this.closeWhenDone = closeWhenDone;
    }

    <T> T bean(Class<T> type) {
        if (context == null) {
            context = starter.get();
        }
        return context.getBean(type);
    }

    /** A setting of the application (environment, -D, application.yml), or the default. */
    <T> T setting(String key, Class<T> type, T fallback) {
        return bean(org.springframework.core.env.Environment.class).getProperty(key, type, fallback);
    }

    /** The job repository in words, for sentences: its JDBC URL without any password. */
    String databaseName() {
        String url = setting("spring.datasource.url", String.class, "the job repository");
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    /** Where details go. */
    String logFile() {
        return setting("logging.file.name", String.class, "the log file");
    }

    @Override
    public void close() {
        if (context != null && closeWhenDone) {
            context.close();
        }
    }
}
