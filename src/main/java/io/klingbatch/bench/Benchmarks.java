package io.klingbatch.bench;

import io.klingbatch.Sha256;
import com.opencsv.CSVReader;
import com.opencsv.CSVReaderBuilder;
import com.opencsv.RFC4180ParserBuilder;
import io.klingbatch.campaign.Campaign;
import io.klingbatch.campaign.CampaignLoader;
import io.klingbatch.generation.CampaignRun;
import io.klingbatch.output.VideoStatus;
import io.klingbatch.job.CampaignLauncher;
import io.klingbatch.job.RunResult;
import io.klingbatch.request.CampaignChecks;
import io.klingbatch.segmind.KlingRequest;
import io.klingbatch.segmind.SegmindConnector;
import io.klingbatch.segmind.SegmindSimulator;
import java.io.BufferedWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The benchmark scenarios of the concurrency issue, each printing its figures. Every scenario starts its own
 * application context on an H2 file in a scratch folder (the real job repository and ledger, not an in-memory
 * stand-in) and its own simulated API on the loopback. Times on a shared 2-core machine are noisy: read the
 * ratios.
 */
public final class Benchmarks {

    private static final BigDecimal UNLIMITED_CREDITS = new BigDecimal("1000000000");

    private final Path scratch;
    private final Function<Map<String, Object>, ConfigurableApplicationContext> spring;
    private final Consumer<String> out;

    public Benchmarks(Path scratch, Function<Map<String, Object>, ConfigurableApplicationContext> spring, Consumer<String> out) {
        this.scratch = scratch;
        this.spring = spring;
        this.out = out;
    }

    /** kling-batch against N bare threads on the same rows with the same lognormal latencies. */
    public void latency(int rows, int workers, Duration meanLatency, double sigma) throws Exception {
        Path folder = scratch.resolve("latency");
        try (ConfigurableApplicationContext context = context(folder, meanLatency, sigma, 0)) {
            klingBatch(context, folder.resolve("warm-up"), workers, workers, 0);
            Side kling = klingBatch(context, folder, rows, workers, 0);
            Side baseline = baseline(context, folder, rows, workers);
            out.accept(String.format(Locale.ROOT, "latency     rows=%d N=%d mean=%dms sigma=%.2f", rows, workers, meanLatency.toMillis(), sigma));
            out.accept(String.format(Locale.ROOT, "  ideal (sum of latencies / N)  %8.2f s", seconds(kling.ideal)));
            out.accept(kling.line("kling-batch"));
            out.accept(baseline.line("baseline"));
            out.accept(String.format(Locale.ROOT, "  ratio kling-batch / baseline  %8.3f   (target <= 1.05)", ratio(kling.time, baseline.time)));
        }
    }

    /** Zero latency: what the ledger and the job repository cost per row. */
    public void throughput(int rows, int workers) throws Exception {
        Path folder = scratch.resolve("throughput");
        try (ConfigurableApplicationContext context = context(folder, Duration.ZERO, 0, 0)) {
            klingBatch(context, folder.resolve("warm-up"), Math.min(500, rows), workers, 0);
            Side kling = klingBatch(context, folder, rows, workers, 0);
            Side baseline = baseline(context, folder, rows, workers);
            out.accept(String.format(Locale.ROOT, "throughput  rows=%d N=%d latency=0", rows, workers));
            out.accept(String.format(Locale.ROOT, "  kling-batch  %8.2f s  %8.0f rows/s   (target >= 300 rows/s)", seconds(kling.time), rows / seconds(kling.time)));
            out.accept(String.format(Locale.ROOT, "  baseline     %8.2f s  %8.0f rows/s", seconds(baseline.time), rows / seconds(baseline.time)));
            out.accept(String.format(Locale.ROOT, "  ratio kling-batch / baseline  %8.3f   (no target: at zero latency this is what the ledger "
                    + "and job repository cost per row)", ratio(kling.time, baseline.time)));
        }
    }

    /** A requests-per-minute limit: the achieved rate, and the most requests started in any 60 s window. */
    public void rate(int rows, int workers, int requestsPerMinute) throws Exception {
        Path folder = scratch.resolve("rate");
        try (ConfigurableApplicationContext context = context(folder, Duration.ZERO, 0, 0)) {
            SegmindSimulator simulator = context.getBean(SegmindConnector.class).simulator();
            Side kling = klingBatch(context, folder, rows, workers, requestsPerMinute);
            List<Long> arrivals = simulator.arrivals().stream().sorted().toList();
            double span = (arrivals.get(arrivals.size() - 1) - arrivals.get(0)) / 1e9;
            double achieved = (arrivals.size() - 1) * 60 / span;
            int maxInWindow = 0;
            for (int first = 0, last = 0; last < arrivals.size(); last++) {
                while (arrivals.get(last) - arrivals.get(first) >= 60_000_000_000L) {
                    first++;
                }
                maxInWindow = Math.max(maxInWindow, last - first + 1);
            }
            out.accept(String.format(Locale.ROOT, "rate        rows=%d N=%d R=%d/min", rows, workers, requestsPerMinute));
            out.accept(String.format(Locale.ROOT, "  achieved rate   %8.2f /min  (%+.2f%% of R; target: within 2%% below R, never above)", achieved,
                    (achieved - requestsPerMinute) * 100 / requestsPerMinute));
            out.accept(String.format(Locale.ROOT, "  most starts in any 60 s window  %d  (limit %d)   run took %.1f s", maxInWindow,
                    requestsPerMinute, seconds(kling.time)));
        }
    }

    /** validate on a big CSV against a bare OpenCSV parse of the same file. */
    public void validate(int rows) throws Exception {
        Path folder = scratch.resolve("validate");
        Path csv = writeCampaign(folder, rows);
        try (ConfigurableApplicationContext context = context(folder, Duration.ZERO, 0, 0)) {
            CampaignChecks checks = context.getBean(CampaignChecks.class);
            Campaign campaign = new CampaignLoader(folder).load(csv, null);
            bareParse(csv);
            checks.scan(campaign, row -> { });
            long bare = Long.MAX_VALUE;
            long ours = Long.MAX_VALUE;
            for (int i = 0; i < 3; i++) {
                long start = System.nanoTime();
                bareParse(csv);
                bare = Math.min(bare, System.nanoTime() - start);
                start = System.nanoTime();
                checks.scan(campaign, row -> { });
                ours = Math.min(ours, System.nanoTime() - start);
            }
            out.accept(String.format(Locale.ROOT, "validate    rows=%d (%d MB), best of 3", rows, Files.size(csv) / (1024 * 1024)));
            out.accept(String.format(Locale.ROOT, "  bare OpenCSV parse  %8.2f s", bare / 1e9));
            out.accept(String.format(Locale.ROOT, "  validate            %8.2f s", ours / 1e9));
            out.accept(String.format(Locale.ROOT, "  ratio validate / bare parse   %8.3f   (target <= 2)", (double) ours / bare));
        }
        Path jar = ownJar();
        if (jar != null) {
            long start = System.nanoTime();
            // 96 MB: the campaign is never held, but three duplicate checks by hash (ids, file names, requests) keep some 50 bytes
            // a row (a 64-bit hash and the first row each); 72 MB was enough while ids were the only one
            Process process = new ProcessBuilder(java(), "-Xmx96m", "-jar", jar.toString(), "validate", csv.toString())
                    .directory(folder.toFile()).redirectErrorStream(true).redirectOutput(folder.resolve("child.txt").toFile()).start();
            int exit = process.waitFor();
            out.accept(String.format(Locale.ROOT, "  validate in a JVM with -Xmx96m: exit %d in %.2f s   (exit 0: the campaign is never held in memory, about 50 bytes a row)", exit,
                    (System.nanoTime() - start) / 1e9));
        }
    }

    /** 16 videos of 64 MiB through a JVM with a 128 MB heap, then every file checked against the manifest. */
    public void streaming(int videos, long videoBytes) throws Exception {
        Path jar = ownJar();
        if (jar == null) {
            out.accept("streaming   skipped: run the benchmark from the jar (java -jar target/kling-batch.jar bench)");
            return;
        }
        Path folder = scratch.resolve("streaming");
        Path csv = writeCampaign(folder, videos);
        long start = System.nanoTime();
        Process process = new ProcessBuilder(java(), "-Xmx128m",
                "-Dkling.simulator.video-size=" + videoBytes + "B", "-Dkling.simulator.credits=" + UNLIMITED_CREDITS,
                "-Dkling.simulator.latency=0ms", "-Dspring.datasource.url=jdbc:h2:file:" + folder.resolve("db"),
                "-Dlogging.file.name=" + folder.resolve("bench.log"),
                "-jar", jar.toString(), "run", csv.toString(), "--simulate", "--concurrency", "4", "--output", folder.resolve("out").toString())
                .directory(folder.toFile()).redirectErrorStream(true).redirectOutput(folder.resolve("child.txt").toFile()).start();
        int exit = process.waitFor();
        double elapsed = (System.nanoTime() - start) / 1e9;
        int intact = 0;
        List<String> manifest = Files.readAllLines(folder.resolve("out/manifest.csv"));
        for (String line : manifest.subList(1, manifest.size())) {
            String[] cells = line.split(",");
            Path file = folder.resolve("out").resolve(cells[3]);
            if (Files.size(file) == videoBytes && Sha256.of(file).equals(cells[5])) {
                intact++;
            }
        }
        out.accept(String.format(Locale.ROOT, "streaming   %d videos x %d MiB through a JVM with -Xmx128m", videos, videoBytes / (1024 * 1024)));
        out.accept(String.format(Locale.ROOT, "  exit %d, %d of %d files intact (size and sha256), %.1f s, %.0f MB/s", exit, intact, videos,
                elapsed, videos * videoBytes / (1024.0 * 1024) / elapsed));
    }

    /**
     * Forced stops of a real child process ({@code java -jar} of this jar) at a random moment, against a simulated API in
     * this process that counts what it was paid for, then the same command again until it ends, as a user would after
     * the stop: per kind of stop, how many paid calls never gave a saved video (their rows are left UNCERTAIN, not
     * bought again), and how many prompts were paid twice. Targets: paid twice 0 always; lost 0 for SIGINT and SIGTERM;
     * at most one per worker for SIGKILL with v1 (a call on the wire); for v2, only a submit whose answer (its request
     * id) had not been written down when the process died.
     */
    public void stops(int perKind, int rows, int workers) throws Exception {
        Path jar = ownJar();
        if (jar == null) {
            out.accept("stops       skipped: run the benchmark from the jar (java -jar target/kling-batch.jar bench stops)");
            return;
        }
        out.accept(String.format(Locale.ROOT, "stops       %d forced stops of each kind, %d rows, %d workers, lognormal latency (mean 400 ms)", perKind,
                rows, workers));
        java.util.Random random = new java.util.Random(42);
        for (String kind : List.of("INT v1", "TERM v1", "KILL v1", "KILL v2")) {
            String signal = kind.substring(0, kind.indexOf(' '));
            boolean v2 = kind.endsWith("v2");
            int paid = 0;
            int lost = 0;
            int worst = 0;
            int twice = 0;
            for (int trial = 1; trial <= perKind; trial++) {
                Path folder = scratch.resolve("stops").resolve(kind.replace(' ', '-') + "-" + trial);
                Path csv = writeCampaign(folder, rows);
                try (SegmindSimulator api = SegmindSimulator.builder().apiKey("bench-stops").credits(UNLIMITED_CREDITS)
                        .latency(Duration.ofMillis(400)).sigma(0.5).start()) {
                    List<String> command = new ArrayList<>(List.of(java(), "-Dkling.lease.ttl=3s", "-Dkling.lease.renew-every=1s",
                            "-Dsegmind.poll-interval=100ms", "-jar", jar.toString(), "run", csv.toString(), "--concurrency", String.valueOf(workers)));
                    if (v2) {
                        command.addAll(List.of("--api", "v2"));
                    }
                    ProcessBuilder builder = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true)
                            .redirectOutput(folder.resolve("child.txt").toFile());
                    builder.environment().put("SEGMIND_API_KEY", "bench-stops");
                    builder.environment().put("SEGMIND_BASE_URL", api.baseUrl().toString());
                    builder.environment().put("KLING_BATCH_HOME", folder.resolve("home").toString());
                    Process process = builder.start();
                    int stopAfter = 1 + random.nextInt(Math.max(1, rows / 2));
                    api.awaitPaid(stopAfter, Duration.ofMinutes(2));
                    Thread.sleep(random.nextInt(300)); // a moment somewhere within a call, not only right at its start
                    new ProcessBuilder("kill", "-s", signal, String.valueOf(process.pid())).start().waitFor();
                    if (!process.waitFor(10, java.util.concurrent.TimeUnit.MINUTES)) {
                        process.destroyForcibly();
                    }
                    builder.redirectOutput(folder.resolve("resume.txt").toFile()); // the same command again, to its end
                    for (int attempt = 0; attempt < 30; attempt++) {
                        Process resume = builder.start();
                        if (!resume.waitFor(10, java.util.concurrent.TimeUnit.MINUTES)) {
                            resume.destroyForcibly();
                        }
                        if (resume.exitValue() != 5) {
                            break;
                        }
                        Thread.sleep(1000); // exit 5: the killed run's lease has not lapsed yet (3 s here)
                    }
                    int billed = api.paid();
                    int kept = keptVideos(folder);
                    paid += billed;
                    lost += billed - kept;
                    worst = Math.max(worst, billed - kept);
                    twice += (int) api.billedPrompts().stream().collect(java.util.stream.Collectors.groupingBy(prompt -> prompt,
                            java.util.stream.Collectors.counting())).values().stream().filter(count -> count > 1).count();
                }
            }
            out.accept(String.format(Locale.ROOT, "  %-8s %3d stops, each resumed: %4d calls paid, %3d paid twice, %3d lost (%.1f per 100 stops, at most %d in one stop)",
                    kind, perKind, paid, twice, lost, lost * 100.0 / perKind, worst));
        }
    }

    /**
     * Whole-process times of {@code --help}, {@code status} and {@code validate} on a campaign of {@code rows} rows (the
     * campaign run once before, so {@code status} has a job repository to read), interleaved run by run so the machine's
     * drift touches all three alike: medians, and each command's median ratio to {@code --help} (target: at most 3).
     */
    public void startup(int rows, int runs) throws Exception {
        Path jar = ownJar();
        if (jar == null) {
            out.accept("startup     skipped: run the benchmark from the jar (java -jar target/kling-batch.jar bench startup)");
            return;
        }
        Path folder = scratch.resolve("startup");
        Path csv = writeCampaign(folder, rows);
        Map<String, String> env = Map.of("KLING_BATCH_HOME", folder.resolve("home").toString());
        timed(folder, env, java(), "-Dkling.simulator.latency=0ms", "-jar", jar.toString(), "run", csv.toString(), "--simulate", "--quiet");
        List<List<String>> commands = List.of(
                List.of(java(), "-jar", jar.toString(), "--help"),
                List.of(java(), "-jar", jar.toString(), "status", csv.toString(), "--output", folder.resolve("out/campaign").toString()),
                List.of(java(), "-jar", jar.toString(), "validate", csv.toString()));
        List<List<Double>> seconds = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int run = 0; run < runs; run++) {
            for (int c = 0; c < commands.size(); c++) {
                seconds.get(c).add(timed(folder, env, commands.get(c).toArray(String[]::new)));
            }
        }
        double help = median(seconds.get(0));
        out.accept(String.format(Locale.ROOT, "startup     whole process, median of %d, %d-row campaign", runs, rows));
        out.accept(String.format(Locale.ROOT, "  --help    %6.2f s", help));
        out.accept(String.format(Locale.ROOT, "  status    %6.2f s   ratio to --help %.2f   (target <= 3)", median(seconds.get(1)),
                median(seconds.get(1)) / help));
        out.accept(String.format(Locale.ROOT, "  validate  %6.2f s   ratio to --help %.2f   (target <= 3)", median(seconds.get(2)),
                median(seconds.get(2)) / help));
    }

    private static double timed(Path folder, Map<String, String> env, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(folder.resolve("child.txt").toFile()));
        builder.environment().putAll(env);
        long start = System.nanoTime();
        builder.start().waitFor();
        return (System.nanoTime() - start) / 1e9;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    /** Videos a stopped child kept: saved and recorded PAID, or SUBMITTED (the next run collects them, paying nothing). */
    private static int keptVideos(Path folder) throws Exception {
        int kept = 0;
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection("jdbc:h2:file:" + folder.resolve("home/kling-batch")
                + ";AUTO_SERVER=TRUE", "sa", "");
             java.sql.ResultSet rs = connection.createStatement().executeQuery("SELECT state, file_path FROM kb_video")) {
            while (rs.next()) {
                String state = rs.getString(1);
                if ("SUBMITTED".equals(state) || "PAID".equals(state) && rs.getString(2) != null && Files.exists(Path.of(rs.getString(2)))) {
                    kept++;
                }
            }
        }
        return kept;
    }

    /**
     * Runs under a budget against a simulated API whose real price (1 credit a video) is not the configured guess
     * (0.44): how far the spend went past the budget. Target: 0 once the first price is known (a budget smaller than one
     * video's price lets that one unknown-priced call through).
     */
    public void budget(int rows, int workers) throws Exception {
        Path jar = ownJar();
        if (jar == null) {
            out.accept("budget      skipped: run the benchmark from the jar (java -jar target/kling-batch.jar bench budget)");
            return;
        }
        out.accept(String.format(Locale.ROOT, "budget      real price 1 credit, guessed 0.44; %d rows, %d workers", rows, workers));
        for (String api : List.of("v1", "v2")) {
            for (String limit : List.of("0.5", "3", "6", "7.5", "12")) {
                Path folder = scratch.resolve("budget").resolve(api + "-" + limit);
                Path csv = writeCampaign(folder, rows);
                try (SegmindSimulator simulator = SegmindSimulator.builder().apiKey("bench-budget").credits(UNLIMITED_CREDITS)
                        .latency(Duration.ofMillis(200)).price(BigDecimal.ONE).start()) {
                    ProcessBuilder builder = new ProcessBuilder(java(), "-Dsegmind.poll-interval=50ms", "-jar", jar.toString(), "run",
                            csv.toString(), "--concurrency", String.valueOf(workers), "--api", api, "--max-credits", limit)
                            .directory(folder.toFile()).redirectErrorStream(true).redirectOutput(folder.resolve("child.txt").toFile());
                    builder.environment().put("SEGMIND_API_KEY", "bench-budget");
                    builder.environment().put("SEGMIND_BASE_URL", simulator.baseUrl().toString());
                    builder.environment().put("KLING_BATCH_HOME", folder.resolve("home").toString());
                    int exit = builder.start().waitFor();
                    BigDecimal spent = BigDecimal.valueOf(simulator.paid());
                    out.accept(String.format(Locale.ROOT, "  %s --max-credits %-4s exit %d: spent %s, over the budget by %s", api, limit, exit,
                            spent.toPlainString(), spent.subtract(new BigDecimal(limit)).max(BigDecimal.ZERO).stripTrailingZeros().toPlainString()));
                }
            }
        }
    }

    private Side klingBatch(ConfigurableApplicationContext context, Path folder, int rows, int workers, int requestsPerMinute) throws Exception {
        Path csv = writeCampaign(folder, rows);
        SegmindSimulator simulator = context.getBean(SegmindConnector.class).simulator();
        Duration latencyBefore = simulator.totalLatency();
        Campaign campaign = new CampaignLoader(folder).load(csv, folder.resolve("out"));
        long start = System.nanoTime();
        RunResult result = context.getBean(CampaignLauncher.class).run(new CampaignRun(campaign, true, false, workers, requestsPerMinute));
        Duration time = Duration.ofNanos(System.nanoTime() - start);
        if (result.summary().count(VideoStatus.GENERATED) != rows) {
            throw new IllegalStateException("the benchmark run generated " + result.summary().count(VideoStatus.GENERATED) + " of " + rows);
        }
        return new Side(time, simulator.totalLatency().minus(latencyBefore).dividedBy(workers));
    }

    private Side baseline(ConfigurableApplicationContext context, Path folder, int rows, int workers) throws Exception {
        SegmindSimulator simulator = context.getBean(SegmindConnector.class).simulator();
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 1; i <= rows; i++) {
            bodies.add(new KlingRequest(prompt(i), "no dark tones, no blur, no distort", new BigDecimal("0.7"), "5", "pro", "16:9", null).toJson());
        }
        Duration latencyBefore = simulator.totalLatency();
        Duration time = BaselineRun.run(simulator.baseUrl(), simulator.apiKey(), bodies, workers, folder.resolve("baseline"));
        return new Side(time, simulator.totalLatency().minus(latencyBefore).dividedBy(workers));
    }

    private ConfigurableApplicationContext context(Path folder, Duration latency, double sigma, long videoBytes) throws IOException {
        Files.createDirectories(folder);
        return spring.apply(Map.of(
                "spring.datasource.url", "jdbc:h2:file:" + folder.resolve("db"),
                "logging.file.name", folder.resolve("bench.log").toString(),
                "kling.simulator.latency", latency.toMillis() + "ms",
                "kling.simulator.sigma", String.valueOf(sigma),
                "kling.simulator.credits", UNLIMITED_CREDITS.toPlainString(),
                "kling.simulator.video-size", videoBytes + "B"));
    }

    private static Path writeCampaign(Path folder, int rows) throws IOException {
        Files.createDirectories(folder);
        Path csv = folder.resolve("campaign.csv");
        try (BufferedWriter writer = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            writer.write("id,prompt,duration\n");
            for (int i = 1; i <= rows; i++) {
                writer.write("shot-" + i + ",\"" + prompt(i) + "\",5\n");
            }
        }
        return csv;
    }

    private static String prompt(int row) {
        return "Product shot " + row + ", slow orbit around a sneaker on a wet rooftop at dawn, soft city lights";
    }

    private static long bareParse(Path csv) throws IOException {
        long records = 0;
        try (CSVReader reader = new CSVReaderBuilder(Files.newBufferedReader(csv, StandardCharsets.UTF_8))
                .withCSVParser(new RFC4180ParserBuilder().build()).build()) {
            while (reader.readNext() != null) {
                records++;
            }
        } catch (com.opencsv.exceptions.CsvValidationException e) {
            throw new IOException(e);
        }
        return records;
    }

    /** The jar this process runs from, for scenarios that need a JVM of their own; null outside a jar. */
    private static Path ownJar() {
        String classPath = System.getProperty("java.class.path", "");
        return classPath.endsWith(".jar") && !classPath.contains(java.io.File.pathSeparator) ? Path.of(classPath).toAbsolutePath() : null;
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }

    private static double ratio(Duration a, Duration b) {
        return (double) a.toNanos() / b.toNanos();
    }

    private record Side(Duration time, Duration ideal) {

        String line(String name) {
            double efficiency = ideal.isZero() ? 0 : (double) ideal.toNanos() / time.toNanos();
            return String.format(Locale.ROOT, "  %-12s %8.2f s   efficiency (ideal / actual) %.3f", name, seconds(time), efficiency);
        }
    }
}
