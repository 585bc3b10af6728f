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
            Process process = new ProcessBuilder(java(), "-Xmx72m", "-jar", jar.toString(), "validate", csv.toString())
                    .directory(folder.toFile()).redirectErrorStream(true).redirectOutput(folder.resolve("child.txt").toFile()).start();
            int exit = process.waitFor();
            out.accept(String.format(Locale.ROOT, "  validate in a JVM with -Xmx72m: exit %d in %.2f s   (exit 0: memory stays flat, the campaign is never held in memory)", exit,
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
