package io.klingbatch.segmind;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A stand-in for Segmind on the loopback, so a new user sees the whole flow with no key and no network, and
 * the benchmark has something to measure against. It is a real HTTP server: the same client code runs
 * against it as against Segmind. It answers like the fact sheet says: 401 for a wrong key, 406 when its
 * simulated credits run out, 200 with a small valid MP4 and the billing headers after a delay.
 */
public final class SegmindSimulator implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    static {
        // The JDK server writes headers and body separately; without TCP_NODELAY, Nagle's algorithm and the
        // client's delayed ACK add about 40 ms to every answer. Read once, when the first server is created.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(daemonThreads());
    private final String apiKey = "sim-" + UUID.randomUUID();
    private final byte[] video;
    private final long videoBytes;
    private final Duration meanLatency;
    private final double sigma;
    private final AtomicInteger generations = new AtomicInteger();
    private final LongAdder latencyMillis = new LongAdder();
    private final Queue<Long> arrivals = new ConcurrentLinkedQueue<>();
    private final Map<String, Task> tasks = new ConcurrentHashMap<>();
    private BigDecimal credits;

    /**
     * @param credits     simulated balance; each 5 s video costs 0.44, each 10 s one 0.88
     * @param meanLatency mean time per generation
     * @param sigma       0 for a fixed latency, else the sigma of a lognormal latency with that mean
     */
    public SegmindSimulator(BigDecimal credits, Duration meanLatency, double sigma) {
        this(credits, meanLatency, sigma, 0);
    }

    /**
     * @param videoBytes size of each video; above the built-in sample's size the sample is padded with an MP4
     *                   {@code free} box (still a valid MP4) and streamed, never held in memory
     */
    public SegmindSimulator(BigDecimal credits, Duration meanLatency, double sigma, long videoBytes) {
        this.credits = credits;
        this.meanLatency = meanLatency;
        this.sigma = sigma;
        this.video = sampleVideo();
        this.videoBytes = Math.max(video.length, videoBytes < video.length + 8 ? video.length : videoBytes);
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the simulated API on the loopback", e);
        }
        server.setExecutor(executor);
        server.createContext(SegmindClient.GENERATE_PATH, this::generate);
        server.createContext("/v1/get-user-credits", this::credits);
        server.createContext(SegmindClient.SUBMIT_PATH, this::submit);
        server.createContext("/v2/requests/", this::requests);
        server.createContext("/v2/files/", this::requests);
        server.start();
    }

    public URI baseUrl() {
        return URI.create("http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort());
    }

    /** The key this simulator accepts; it is made up per start and worth nothing. */
    public String apiKey() {
        return apiKey;
    }

    public int generations() {
        return generations.get();
    }

    /** When each accepted generation request arrived ({@link System#nanoTime()}), for measuring request rates. */
    public List<Long> arrivals() {
        return List.copyOf(arrivals);
    }

    /** The sum of the latencies it applied: the benchmark's ideal time is this divided by the workers. */
    public Duration totalLatency() {
        return Duration.ofMillis(latencyMillis.sum());
    }

    public synchronized BigDecimal remainingCredits() {
        return credits;
    }

    public synchronized void topUp(BigDecimal amount) {
        credits = credits.add(amount);
    }

    private void generate(HttpExchange exchange) throws IOException {
        try (exchange) {
            Accepted accepted = accept(exchange);
            if (accepted == null) {
                return;
            }
            sleep(accepted.latency);
            generations.incrementAndGet();
            exchange.getResponseHeaders().set("Content-Type", "video/mp4");
            exchange.getResponseHeaders().set("x-cost", accepted.cost.toPlainString());
            exchange.getResponseHeaders().set("x-remaining-credits", remainingCredits().toPlainString());
            exchange.getResponseHeaders().set("x-request-id", UUID.randomUUID().toString());
            exchange.sendResponseHeaders(200, videoBytes);
            try (OutputStream out = exchange.getResponseBody()) {
                writeVideo(out);
            }
        }
    }

    /** v2: accepts (and bills) at once; the video is ready after the latency. */
    private void submit(HttpExchange exchange) throws IOException {
        try (exchange) {
            Accepted accepted = accept(exchange);
            if (accepted == null) {
                return;
            }
            String id = UUID.randomUUID().toString();
            tasks.put(id, new Task(accepted.cost, System.nanoTime() + accepted.latency.toNanos()));
            generations.incrementAndGet();
            String base = baseUrl() + "/v2/requests/" + id;
            respond(exchange, 200, "{\"request_id\":\"" + id + "\",\"status\":\"QUEUED\",\"status_url\":\"" + base
                    + "/status\",\"response_url\":\"" + base + "\"}");
        }
    }

    /** v2: {@code /v2/requests/{id}/status}, {@code /v2/requests/{id}} and the video file. */
    private void requests(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!path.startsWith("/v2/files/") && !apiKey.equals(exchange.getRequestHeaders().getFirst("x-api-key"))) {
                respond(exchange, 401, "{\"error\":\"Invalid API key\"}");
                return;
            }
            String id = path.replaceFirst("^/v2/(requests|files)/", "").replaceFirst("(/status|\\.mp4)$", "");
            Task task = tasks.get(id);
            if (task == null) {
                respond(exchange, 404, "{\"error\":\"Request not found\"}");
                return;
            }
            boolean ready = System.nanoTime() >= task.readyAt;
            if (path.endsWith("/status")) {
                respond(exchange, 200, "{\"status\":\"" + (ready ? "COMPLETED" : "PROCESSING") + "\"}");
            } else if (path.startsWith("/v2/files/")) {
                exchange.getResponseHeaders().set("Content-Type", "video/mp4");
                exchange.sendResponseHeaders(200, videoBytes);
                try (OutputStream out = exchange.getResponseBody()) {
                    writeVideo(out);
                }
            } else if (!ready) {
                respond(exchange, 200, "{\"status\":\"PROCESSING\"}");
            } else {
                respond(exchange, 200, "{\"status\":\"COMPLETED\",\"output\":\"" + baseUrl() + "/v2/files/" + id
                        + ".mp4\",\"metrics\":{\"cost\":" + task.cost.toPlainString() + ",\"remaining_credits\":"
                        + remainingCredits().toPlainString() + "}}");
            }
        }
    }

    /**
     * What v1 and v2 share: key, Content-Type, body and credits checked, the credits taken, the latency drawn.
     * Answers the error itself and returns null when the request is refused.
     */
    private Accepted accept(HttpExchange exchange) throws IOException {
        if (!"POST".equals(exchange.getRequestMethod())) {
            respond(exchange, 405, "{\"error\":\"Method Not Allowed\"}");
            return null;
        }
        if (!apiKey.equals(exchange.getRequestHeaders().getFirst("x-api-key"))) {
            respond(exchange, 401, "{\"error\":\"Invalid API key\"}");
            return null;
        }
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            respond(exchange, 406, "{\"error\":\"Content-Type must be application/json\"}");
            return null;
        }
        JsonNode body;
        try (InputStream in = exchange.getRequestBody()) {
            body = JSON.readTree(in);
        } catch (RuntimeException e) {
            respond(exchange, 400, "{\"error\":\"Body is not JSON\"}");
            return null;
        }
        if (body.path("prompt").asString("").isBlank()) {
            respond(exchange, 400, "{\"error\":\"prompt is required\"}");
            return null;
        }
        BigDecimal cost = "5".equals(body.path("duration").asString("10")) ? new BigDecimal("0.44") : new BigDecimal("0.88");
        if (!reserve(cost)) {
            respond(exchange, 406, "{\"error\":\"Insufficient credits. Please top up your account.\"}");
            return null;
        }
        arrivals.add(System.nanoTime());
        Duration latency = latency(body.path("prompt").asString(""));
        latencyMillis.add(latency.toMillis());
        return new Accepted(cost, latency);
    }

    private record Accepted(BigDecimal cost, Duration latency) {
    }

    private record Task(BigDecimal cost, long readyAt) {
    }

    private void credits(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!apiKey.equals(exchange.getRequestHeaders().getFirst("x-api-key"))) {
                respond(exchange, 401, "{\"error\":\"Invalid API key\"}");
                return;
            }
            respond(exchange, 200, "{\"credits\":" + remainingCredits().toPlainString() + ",\"free-credits\":0}");
        }
    }

    private synchronized boolean reserve(BigDecimal cost) {
        if (credits.compareTo(cost) < 0) {
            return false;
        }
        credits = credits.subtract(cost);
        return true;
    }

    /**
     * Fixed, or lognormal with the configured mean: mu = ln(mean) - sigma^2 / 2. Drawn from the prompt, so the
     * same rows take the same time whoever sends them (the benchmark compares two clients on equal terms).
     */
    private Duration latency(String prompt) {
        if (sigma <= 0 || meanLatency.isZero()) {
            return meanLatency;
        }
        double mu = Math.log(meanLatency.toMillis()) - sigma * sigma / 2;
        return Duration.ofMillis((long) Math.exp(mu + sigma * new Random(prompt.hashCode()).nextGaussian()));
    }

    /** The sample MP4, then (for a bigger video) a {@code free} box of zeros, written in small pieces. */
    private void writeVideo(OutputStream out) throws IOException {
        out.write(video);
        long padding = videoBytes - video.length;
        if (padding <= 0) {
            return;
        }
        out.write(new byte[] {(byte) (padding >>> 24), (byte) (padding >>> 16), (byte) (padding >>> 8), (byte) padding, 'f', 'r', 'e', 'e'});
        byte[] zeros = new byte[64 * 1024];
        for (long left = padding - 8; left > 0; left -= zeros.length) {
            out.write(zeros, 0, (int) Math.min(zeros.length, left));
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static byte[] sampleVideo() {
        try (InputStream in = SegmindSimulator.class.getResourceAsStream("/simulator/sample.mp4")) {
            if (in == null) {
                throw new IllegalStateException("simulator/sample.mp4 is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        return runnable -> {
            Thread thread = new Thread(runnable, "segmind-simulator");
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
