package io.klingbatch.schedule;

import io.klingbatch.KlingBatchApplication;
import io.klingbatch.KlingTestConfiguration;
import io.klingbatch.generation.RunSessions;
import io.klingbatch.segmind.SegmindSimulator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What the schedule tests share: a "machine" (an application context of its own: its own lease client id, pool,
 * sessions and scheduler) on a given job repository, paying a simulated API in this JVM; job files and CSVs.
 */
public final class Machines {

    private Machines() {
    }

    /** A machine on {@code url} paying {@code api}; {@code extra} are more {@code key=value} settings. */
    public static ConfigurableApplicationContext machine(String url, SegmindSimulator api, Path home, String name, String... extra) {
        List<String> properties = new ArrayList<>(List.of(
                "--spring.datasource.url=" + url,
                "--segmind.base-url=" + api.baseUrl(),
                "--segmind.base-delay=10ms",
                "--logging.file.name=target/schedule-" + name + ".log",
                "--logging.threshold.console=OFF",
                "--kling.home=" + home.resolve(name + "-home"),
                "--kling.notify.first-retry=10ms",
                "--kling.notify.timeout=5s"));
        if (url.startsWith("jdbc:postgresql:")) {
            properties.add("--spring.datasource.username=postgres");
            properties.add("--spring.datasource.password=");
        }
        for (String setting : extra) { // a setting given again replaces the default above
            properties.removeIf(p -> p.startsWith("--" + setting.substring(0, setting.indexOf('=') + 1)));
            properties.add("--" + setting);
        }
        boolean web = properties.stream().anyMatch(p -> p.startsWith("--spring.main.web-application-type=servlet"));
        return new SpringApplicationBuilder(KlingBatchApplication.class, KlingTestConfiguration.class)
                .web(web ? WebApplicationType.SERVLET : WebApplicationType.NONE)
                .run(properties.toArray(String[]::new));
    }

    /**
     * One machine shared by the in-process schedule tests (a context costs seconds): H2 in memory, a simulated API (100
     * credits, 50 ms per video), {@code schedule --port}'s web server on a free loopback port.
     * Tests use prompts of their own (the ledger knows a video by its request) and reset the credits they change.
     */
    public static synchronized Shared shared() {
        if (shared == null) {
            try {
                Path home = java.nio.file.Files.createTempDirectory("schedule-shared");
                SegmindSimulator api = api("100", Duration.ofMillis(50));
                List<String> web = new ArrayList<>();
                MonitoringServer.properties(0).forEach((key, value) -> web.add(key + "=" + value));
                ConfigurableApplicationContext context = machine(h2("shared"), api, home, "shared", web.toArray(String[]::new));
                shared = new Shared(api, context, Integer.parseInt(context.getEnvironment().getProperty("local.server.port")));
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    context.close();
                    api.close();
                }));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return shared;
    }

    private static Shared shared;

    /** The shared machine: its API, its context, its web server's port. */
    public record Shared(SegmindSimulator api, ConfigurableApplicationContext context, int port) {
    }

    /** A private in-memory H2 job repository. */
    public static String h2(String name) {
        return "jdbc:h2:mem:schedule-" + name + "-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
    }

    public static SegmindSimulator api(String credits, Duration latency) {
        return SegmindSimulator.builder().apiKey(KlingTestConfiguration.TEST_KEY).credits(new java.math.BigDecimal(credits)).latency(latency).start();
    }

    /** 5-second rows {@code <tag>from..to} (appended when the CSV exists), each prompt unique to the test ("<tag> prompt i of the schedule test"). */
    public static Path csv(Path file, String tag, int from, int to) throws IOException {
        Files.createDirectories(file.getParent());
        String rows = IntStream.rangeClosed(from, to).mapToObj(i -> tag + i + "," + tag + " prompt " + i + " of the schedule test,5")
                .collect(Collectors.joining("\n", "", "\n"));
        String content = (Files.exists(file) ? Files.readString(file) : "id,prompt,duration\n") + rows;
        Path next = file.resolveSibling(file.getFileName() + ".new");
        Files.writeString(next, content);
        // replaced at once, as the README advises: a tick never reads half a row
        Files.move(next, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return file;
    }

    /** A job file beside its CSV: {@code input: <csv>}, the schedule, then more YAML lines. */
    public static Path job(Path file, String csvName, String cron, String... more) throws IOException {
        Files.createDirectories(file.getParent());
        StringBuilder yaml = new StringBuilder("input: " + csvName + "\n");
        if (cron != null) {
            yaml.append("schedule: \"").append(cron).append("\"\n");
        }
        for (String line : more) {
            yaml.append(line).append('\n');
        }
        Files.writeString(file, yaml.toString());
        return file;
    }

    /** A scheduler on {@code machine} for {@code jobFiles}, its lines collected in {@code lines}. */
    public static CampaignScheduler scheduler(ConfigurableApplicationContext machine, Path workingDirectory, List<String> lines, Path... jobFiles) {
        return new CampaignScheduler(machine.getBean(ScheduledRuns.class), machine.getBean(RunSessions.class), List.of(jobFiles), workingDirectory,
                false, lines::add, Clock.systemDefaultZone(), Duration.ofMillis(200));
    }

    public static List<String> lines() {
        return new CopyOnWriteArrayList<>();
    }

    public static long count(List<String> lines, String fragment) {
        return lines.stream().filter(line -> line.contains(fragment)).count();
    }
}
