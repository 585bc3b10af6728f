package io.klingbatch.cli;

import io.klingbatch.campaign.Campaign;
import io.klingbatch.job.CampaignHistory;
import io.klingbatch.ledger.Endpoint;
import io.klingbatch.ledger.FormerHome;
import io.klingbatch.segmind.SegmindProperties;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What every command needs: where to speak, the working directory, and the Spring context, started only when
 * a command first asks for it (so {@code --help} and usage errors answer at once).
 */
final class CliContext implements AutoCloseable {

    final Console console;
    final Path workingDirectory;
    private final Function<Startup, ConfigurableApplicationContext> starter;
    private final boolean closeWhenDone;
    private ConfigurableApplicationContext context;
    private Map<String, Object> properties = Map.of();
    private Shape shape = Shape.FULL;

    /** Which Spring application a command needs. */
    enum Shape {
        /** Everything: running jobs, the API client, Flyway. */
        FULL,
        /** Reading what is known ({@link io.klingbatch.FactsApplication}); handed to the full one when the job repository is behind. */
        FACTS,
        /** Reading what is known, never migrating or writing: no hand-over ({@code validate}). */
        FACTS_READ_ONLY
    }

    /** What to start: the settings a command asked for and the application it needs. */
    record Startup(Map<String, Object> settings, Shape shape) {
    }

    /** @param starter starts the context with the settings a command asked for ({@link #readOnly}, {@link #factsOnly}, {@link #startWith}) */
    CliContext(Console console, Path workingDirectory, Function<Startup, ConfigurableApplicationContext> starter, boolean closeWhenDone) {
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
        this.shape = Shape.FACTS_READ_ONLY;
    }

    /**
     * Whether there is certainly no job repository to read: an H2 file database whose file does not exist ({@code validate}
     * on a machine that never ran anything). Then nothing is asked of it: H2 refuses the connection, but only after the
     * pool has tried for a second or more.
     */
    boolean noJobRepository() {
        String url = setting("spring.datasource.url", String.class, "");
        if (!url.startsWith("jdbc:h2:file:")) {
            return false;
        }
        String file = url.substring("jdbc:h2:file:".length()).split(";", 2)[0];
        return !java.nio.file.Files.exists(Path.of(file + ".mv.db"));
    }

    /** The command only reads what is known (and may import a former home): the small application answers it. */
    void factsOnly() {
        if (shape == Shape.FULL) {
            shape = Shape.FACTS;
        }
    }

    /** Settings for the context, when a command needs its own (schedule --port: a web server); before the first bean. */
    void startWith(Map<String, Object> settings) {
        Map<String, Object> merged = new java.util.HashMap<>(properties);
        merged.putAll(settings);
        this.properties = Map.copyOf(merged);
    }

    <T> T bean(Class<T> type) {
        if (context == null) {
            context = starter.apply(new Startup(properties, shape));
        }
        return context.getBean(type);
    }

    /** A campaign as the commands that only read see it: its last run, and the API whose facts are read. */
    record Known(Campaign campaign, Optional<JobExecution> last, Endpoint endpoint) {

        /** The last run's execution id, or null for a campaign never run. */
        Long lastId() {
            return last.map(JobExecution::getId).orElse(null);
        }
    }

    /**
     * The campaign {@code status} and {@code report} speak of, in the small application, after importing a former home
     * from the working directory: its last run, and the API that run paid, else the configured one (never run).
     */
    Known known(CampaignSelection selection) {
        Campaign campaign = selection.load(workingDirectory);
        factsOnly();
        bean(FormerHome.class).importFrom(workingDirectory).ifPresent(console::say);
        Optional<JobExecution> last = bean(CampaignHistory.class).lastExecution(campaign);
        Endpoint endpoint = last.map(CampaignHistory::endpoint).orElse(null);
        return new Known(campaign, last, endpoint != null ? endpoint : Endpoint.of(bean(SegmindProperties.class).baseUrl()));
    }

    /** A setting of the application (environment, -D, application.yml), or the default. */
    <T> T setting(String key, Class<T> type, T fallback) {
        return bean(org.springframework.core.env.Environment.class).getProperty(key, type, fallback);
    }

    /** The job repository in words, for sentences: its JDBC URL without any password. */
    String databaseName() {
        return io.klingbatch.KlingHome.withoutPassword(setting("spring.datasource.url", String.class, "the job repository"));
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
