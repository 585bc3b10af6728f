package io.klingbatch.cli;

import io.klingbatch.bench.Benchmarks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bench}: prints the figures the concurrency targets are judged by. */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        description = "Runs kling-batch against the simulated API and prints figures: latency (vs N bare threads), "
                + "throughput, rate limiting, validate on a big CSV, streaming big videos through a small heap, calls lost "
                + "to forced stops, spend past a budget, start-up of status and validate. Scenarios: latency, throughput, rate, validate, "
                + "streaming, stops, budget, startup "
                + "(default: all). Report ratios, not times: "
                + "machines are noisy.")
final class BenchCommand implements Callable<Integer> {

    @Parameters(arity = "0..*", paramLabel = "SCENARIO", description = "Which scenarios to run (default: all).")
    List<String> scenarios;

    @Option(names = "--quick", description = "Small sizes, for a smoke test of the benchmark itself.")
    boolean quick;

    private final CliContext cli;

    BenchCommand(CliContext cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        List<String> chosen = scenarios == null || scenarios.isEmpty()
                ? List.of("latency", "throughput", "rate", "validate", "streaming", "stops", "budget", "startup") : scenarios;
        Path scratch = Files.createTempDirectory("kling-bench");
        Benchmarks bench = new Benchmarks(scratch, KlingBatchCli::startSpring, cli.console::say);
        if (quick) {
            cli.console.say("--quick: small sizes to check that the benchmark works; the targets apply to the full run.");
        }
        try {
            for (String scenario : chosen) {
                switch (scenario) {
                    case "latency" -> bench.latency(quick ? 16 : 64, quick ? 4 : 8, Duration.ofMillis(quick ? 200 : 2000), 0.5);
                    case "throughput" -> bench.throughput(quick ? 1000 : 10_000, 8);
                    case "rate" -> bench.rate(quick ? 60 : 330, 8, quick ? 600 : 300);
                    case "validate" -> bench.validate(quick ? 20_000 : 1_000_000);
                    case "streaming" -> bench.streaming(quick ? 4 : 16, (quick ? 8L : 64L) * 1024 * 1024);
                    case "stops" -> bench.stops(quick ? 2 : 25, 24, 4);
                    case "budget" -> bench.budget(20, 4);
                    case "startup" -> bench.startup(1000, quick ? 2 : 5);
                    default -> {
                        cli.console.error("Unknown scenario '" + scenario + "': use latency, throughput, rate, validate, streaming, stops, budget or startup.");
                        return ExitCode.USAGE.code;
                    }
                }
            }
            return ExitCode.OK.code;
        } finally {
            delete(scratch);
        }
    }

    private static void delete(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
