package io.klingbatch.cli;

import io.klingbatch.FactsApplication;
import io.klingbatch.KlingBatchApplication;
import io.klingbatch.KlingHome;
import io.klingbatch.campaign.CampaignFileException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code kling-batch} command: parses the command line with picocli and maps every outcome to an exit code. */
@Command(name = "kling-batch",
        mixinStandardHelpOptions = true,
        version = "kling-batch 0.1.0",
        description = {"Turns a CSV of prompts into videos with Segmind's Kling 2.5 Turbo: never pays twice for a row, "
                + "never loses a paid video, names every bad row, and resumes where it stopped with the same command.",
                "The API key comes only from the environment variable SEGMIND_API_KEY."},
        footer = {"", "Exit codes: 0 all rows generated, 1 some rows not generated, 2 usage or configuration error, "
                + "3 stopped and restartable (credits ran out, budget reached, Ctrl-C or SIGTERM, API or job repository unreachable, "
                + "disk full, results still being made), 4 refused by the API (key or URL), 5 another run holds this campaign, "
                + "70 internal error."})
public final class KlingBatchCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private KlingBatchCli() {
    }

    /** The real command line: starts a quiet, non-web Spring context when a command needs one. */
    public static int execute(String[] args) {
        return execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true),
                Path.of("").toAbsolutePath(), KlingBatchCli::startFor, true, System.console() != null);
    }

    /** For tests: the same command line against a context they already have. */
    static int execute(String[] args, PrintWriter out, PrintWriter err, Path workingDirectory,
                       Supplier<ConfigurableApplicationContext> spring, boolean closeSpring) {
        return execute(args, out, err, workingDirectory, startup -> spring.get(), closeSpring, false);
    }

    /** For tests: the same command line, each command given the context of the shape it asks for. */
    static int execute(String[] args, PrintWriter out, PrintWriter err, Path workingDirectory,
                       Function<CliContext.Startup, ConfigurableApplicationContext> spring, boolean closeSpring) {
        return execute(args, out, err, workingDirectory, spring, closeSpring, false);
    }

    private static int execute(String[] args, PrintWriter out, PrintWriter err, Path workingDirectory,
                               Function<CliContext.Startup, ConfigurableApplicationContext> spring, boolean closeSpring, boolean terminal) {
        Console console = new Console(out, err, terminal);
        try (CliContext context = new CliContext(console, workingDirectory, spring, closeSpring)) {
            CommandLine commandLine = new CommandLine(new KlingBatchCli())
                    .addSubcommand(new RunCommand(context))
                    .addSubcommand(new ValidateCommand(context))
                    .addSubcommand(new StatusCommand(context))
                    .addSubcommand(new ReportCommand(context))
                    .addSubcommand(new ScheduleCommand(context))
                    .addSubcommand(new BenchCommand(context))
                    .setOut(out)
                    .setErr(err)
                    .setExecutionExceptionHandler((e, cl, parseResult) -> failure(console, e));
            return commandLine.execute(args);
        }
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: use 'run', 'validate', 'status', 'report', 'schedule' or 'bench'.");
    }

    /** Anything no command handled: a configuration problem (exit 2) or a bug (exit 70); never a stack trace here. */
    static int failure(Console console, Exception e) {
        Throwable cause = e;
        while (cause != null) {
            if (cause instanceof CampaignFileException file) {
                console.error(file.getMessage());
                return ExitCode.USAGE.code;
            }
            if (cause instanceof io.klingbatch.Settings.InvalidSettingException setting) {
                console.error("Setting not usable: " + setting.getMessage() + ". Fix it in the environment, -D or application.yml.");
                return ExitCode.USAGE.code;
            }
            cause = cause.getCause();
        }
        LoggerFactory.getLogger(KlingBatchCli.class).error("internal error", e);
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage().lines().findFirst().orElse("");
        if (unreachableDatabase(e)) {
            console.error("Not started: the job repository (" + KlingHome.repository() + ") cannot be reached: " + Words.clause(message)
                    + ". Nothing was sent. Run the same command when it is back.");
            return ExitCode.STOPPED_RESTARTABLE.code;
        }
        console.error("Internal error: " + Words.clause(message) + ". Details are in " + KlingHome.folder().resolve("kling-batch.log") + ".");
        return ExitCode.INTERNAL.code;
    }

    /**
     * Whether an error means the job repository cannot be reached (a connection refused or timed out, PostgreSQL's class
     * 08 of SQL states), rather than a bug.
     */
    static boolean unreachableDatabase(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.springframework.jdbc.CannotGetJdbcConnectionException
                    || t instanceof java.sql.SQLTransientConnectionException
                    || t instanceof java.sql.SQLNonTransientConnectionException
                    || t instanceof java.net.ConnectException
                    || t instanceof java.sql.SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Settings for a command that writes nothing ({@code validate}, in the small application, which has no Flyway to turn
     * off): beans made only when used, the default H2 database opened only if it exists, and no log file where there is
     * no folder for it yet. So no {@code .kling-batch/} appears where there was none.
     */
    static Map<String, Object> readOnlySettings() {
        Map<String, Object> settings = new java.util.HashMap<>();
        settings.put("spring.main.lazy-initialization", "true");
        if (!ownDatabase()) {
            settings.put("spring.datasource.url", "jdbc:h2:file:" + KlingHome.folder().resolve("kling-batch")
                    + ";AUTO_SERVER=TRUE;AUTO_RECONNECT=TRUE;IFEXISTS=TRUE");
        }
        if (!java.nio.file.Files.isDirectory(KlingHome.folder())) {
            settings.put("logging.file.name", "");
        }
        return settings;
    }

    /**
     * The application a command needs: the small one for commands that read what is known, handed over to the full one
     * when the job repository is new or behind (only the full one migrates); the full one otherwise.
     */
    static ConfigurableApplicationContext startFor(CliContext.Startup startup) {
        if (startup.shape() != CliContext.Shape.FULL) {
            ConfigurableApplicationContext facts = start(FactsApplication.class, startup.settings());
            boolean answers;
            try {
                answers = startup.shape() == CliContext.Shape.FACTS_READ_ONLY || FactsApplication.current(facts);
            } catch (RuntimeException e) {
                facts.close();
                throw e;
            }
            if (answers) {
                return facts;
            }
            facts.close();
        }
        return startSpring(startup.settings());
    }

    /** Whether the job repository is set in the environment or by {@code -D}, rather than the default H2 file in the home folder. */
    private static boolean ownDatabase() {
        return System.getProperty("spring.datasource.url") != null || System.getenv("SPRING_DATASOURCE_URL") != null;
    }

    /** The full application: a quiet, non-web context; {@code properties} win over application.yml (the benchmark uses scratch databases). */
    static ConfigurableApplicationContext startSpring(Map<String, Object> properties) {
        return start(KlingBatchApplication.class, properties);
    }

    private static ConfigurableApplicationContext start(Class<?> application, Map<String, Object> properties) {
        return new SpringApplicationBuilder(application)
                .bannerMode(Banner.Mode.OFF)
                .web(WebApplicationType.NONE)
                .logStartupInfo(false)
                .registerShutdownHook(false) // Ctrl-C must not close the context under a running job (RunCommand says what to do)
                .run(properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new));
    }
}
