package io.klingbatch.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What every command needs: where to speak, the working directory, and the Spring context, started only when
 * a command first asks for it (so {@code --help} and usage errors answer at once).
 */
final class CliContext implements AutoCloseable {

    final Console console;
    final Path workingDirectory;
    private final Function<Map<String, Object>, ConfigurableApplicationContext> starter;
    private final boolean closeWhenDone;
    private ConfigurableApplicationContext context;
    private Map<String, Object> properties = Map.of();

    /** @param starter starts the context with the settings a command asked for ({@link #readOnly}, {@link #startWith}) */
    CliContext(Console console, Path workingDirectory, Function<Map<String, Object>, ConfigurableApplicationContext> starter, boolean closeWhenDone) {
        this.console = console;
        this.workingDirectory = workingDirectory;
        this.starter = starter;
        this.closeWhenDone = closeWhenDone;
    }

    /** The command writes nothing: the context, when it starts, must neither create nor migrate the job repository. */
    void readOnly() {
        Map<String, Object> settings = new java.util.HashMap<>(properties);
        settings.putAll(KlingBatchCli.readOnlySettings());
        this.properties = Map.copyOf(settings);
    }

    /** Settings for the context, when a command needs its own (schedule --port: a web server); before the first bean. */
    void startWith(Map<String, Object> settings) {
        Map<String, Object> merged = new java.util.HashMap<>(properties);
        merged.putAll(settings);
        this.properties = Map.copyOf(merged);
    }

    <T> T bean(Class<T> type) {
        if (context == null) {
            context = starter.apply(properties);
        }
        return context.getBean(type);
    }

    /**
     * The API a campaign's facts are read for ({@code status}, {@code report}): the one its last run paid, else the
     * configured one (a campaign never run).
     */
    io.klingbatch.ledger.Endpoint endpointOf(java.util.Optional<org.springframework.batch.core.job.JobExecution> last) {
        io.klingbatch.ledger.Endpoint endpoint = last.map(io.klingbatch.job.CampaignHistory::endpoint).orElse(null);
        return endpoint != null ? endpoint : io.klingbatch.ledger.Endpoint.of(bean(io.klingbatch.segmind.SegmindProperties.class).baseUrl());
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
