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
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
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
 *
 * <p>For tests that run the application in another process it can also be started with a key chosen by the
 * caller ({@link #builder()}), says which prompts it billed ({@link #paidFor(String)}, {@link #billedPrompts()}),
 * and can hold its answers ({@link #hold()}, {@link #release()}) so a test acts while a paid call is in flight
 * ({@link #inFlight()}, {@link #awaitInFlight(int, Duration)}, {@link #awaitPaid(int, Duration)}).
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
    private final String apiKey;
    private final byte[] video;
    private final long videoBytes;
    private volatile Duration meanLatency;
    private final double sigma;
    private final AtomicInteger generations = new AtomicInteger();
    private final LongAdder latencyMillis = new LongAdder();
    private final Queue<Long> arrivals = new ConcurrentLinkedQueue<>();
    private final Map<String, Task> tasks = new ConcurrentHashMap<>();
    private volatile java.time.Instant rateLimitedUntil;
    private volatile BigDecimal price;
    private BigDecimal credits;

    /** Guards {@link #billed}, {@link #inFlight} and {@link #held}; waited on by the await methods and held answers. */
    private final Object lock = new Object();
    private final List<String> billed = new ArrayList<>();
    private int inFlight;
    private boolean held;
    private boolean closed;

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
        this(credits, meanLatency, sigma, videoBytes, "sim-" + UUID.randomUUID());
    }

    /**
     * @param apiKey the key it accepts, chosen by the caller: a test gives the same one to a child process as
     *               {@code SEGMIND_API_KEY}
     */
    public SegmindSimulator(BigDecimal credits, Duration meanLatency, double sigma, long videoBytes, String apiKey) {
        if (apiKey == null || apiKey.isBlank()) {
            throw new IllegalArgumentException("the simulator's API key must not be blank");
        }
        this.apiKey = apiKey;
        this.credits = Objects.requireNonNull(credits, "credits");
        Objects.requireNonNull(meanLatency, "meanLatency");
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

    /** Sets the simulated balance, for example to 0 so that the next generation is refused with 406. */
    public synchronized void setCredits(BigDecimal amount) {
        credits = Objects.requireNonNull(amount, "amount");
    }

    /** The mean latency of the generations accepted from now on (a fixed latency when sigma is 0). */
    /** Until then, every generation request is answered 429 with that reset time (rehearsing a plan's rate limit). */
    public void rateLimitUntil(java.time.Instant until) {
        this.rateLimitedUntil = until;
    }

    public void setLatency(Duration latency) {
        if (latency == null || latency.isNegative()) {
            throw new IllegalArgumentException("latency must be zero or positive, got " + latency);
        }
        meanLatency = latency;
    }

    /** A simulator set up step by step: {@code SegmindSimulator.builder().apiKey("k").credits(...).start()}. */
    public static Builder builder() {
        return new Builder();
    }

    // ── Billing and in-flight calls, for tests ──────────────────────────────────────────────────────────────

    /**
     * How many generations whose prompt contains {@code promptFragment} were accepted and billed: v1 calls and
     * v2 submits, counted when the credits are taken, before the answer (so a call whose client died while
     * it was in flight is counted: it was paid for).
     */
    public int paidFor(String promptFragment) {
        synchronized (lock) {
            return (int) billed.stream().filter(prompt -> prompt.contains(promptFragment)).count();
        }
    }

    /** How many generations were billed in all (v1 and v2). */
    public int paid() {
        synchronized (lock) {
            return billed.size();
        }
    }

    /** The prompts of the billed generations, in the order they were billed; a prompt paid twice is there twice. */
    public List<String> billedPrompts() {
        synchronized (lock) {
            return List.copyOf(billed);
        }
    }

    /**
     * From now on, accepted (and billed) generations wait before they answer until {@link #release()}: v1 calls
     * hold the video, v2 submits hold the request id. Answers already being sent are not affected.
     */
    public void hold() {
        synchronized (lock) {
            held = true;
        }
    }

    /** Lets every held answer go, and answers at once from now on. */
    public void release() {
        synchronized (lock) {
            held = false;
            lock.notifyAll();
        }
    }

    /**
     * How many generation calls (v1 calls, v2 submits) were accepted and billed and are not answered yet: waiting
     * out their latency, held, or being sent.
     */
    public int inFlight() {
        synchronized (lock) {
            return inFlight;
        }
    }

    /** Waits until at least {@code n} calls are {@linkplain #inFlight() in flight}; false if it times out. */
    public boolean awaitInFlight(int n, Duration timeout) throws InterruptedException {
        return await(() -> inFlight >= n, timeout);
    }

    /** Waits until at least {@code n} generations were {@linkplain #paid() billed} in all; false if it times out. */
    public boolean awaitPaid(int n, Duration timeout) throws InterruptedException {
        return await(() -> billed.size() >= n, timeout);
    }

    /** Waits until at least {@code n} generations whose prompt contains the fragment were billed; false on timeout. */
    public boolean awaitPaid(String promptFragment, int n, Duration timeout) throws InterruptedException {
        return await(() -> billed.stream().filter(prompt -> prompt.contains(promptFragment)).count() >= n, timeout);
    }

    private boolean await(java.util.function.BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (!condition.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return true;
        }
    }

    /** Blocks while answers are held; an interrupt (the simulator closing) lets the answer go. */
    private void waitWhileHeld() {
        synchronized (lock) {
            while (held && !closed) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void answered() {
        synchronized (lock) {
            inFlight--;
            lock.notifyAll();
        }
    }

    private void generate(HttpExchange exchange) throws IOException {
        try (exchange) {
            Accepted accepted = accept(exchange);
            if (accepted == null) {
                return;
            }
            try {
                sleep(accepted.latency);
                waitWhileHeld();
                generations.incrementAndGet();
                exchange.getResponseHeaders().set("Content-Type", "video/mp4");
                exchange.getResponseHeaders().set("x-cost", accepted.cost.toPlainString());
                exchange.getResponseHeaders().set("x-remaining-credits", remainingCredits().toPlainString());
                exchange.getResponseHeaders().set("x-request-id", UUID.randomUUID().toString());
                exchange.sendResponseHeaders(200, videoBytes);
                try (OutputStream out = exchange.getResponseBody()) {
                    writeVideo(out);
                }
            } finally {
                answered();
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
            try {
                String id = UUID.randomUUID().toString();
                tasks.put(id, new Task(accepted.cost, System.nanoTime() + accepted.latency.toNanos()));
                generations.incrementAndGet();
                waitWhileHeld();
                String base = baseUrl() + "/v2/requests/" + id;
                respond(exchange, 200, "{\"request_id\":\"" + id + "\",\"status\":\"QUEUED\",\"status_url\":\"" + base
                        + "/status\",\"response_url\":\"" + base + "\"}");
            } finally {
                answered();
            }
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
        java.time.Instant limitedUntil = rateLimitedUntil;
        if (limitedUntil != null && java.time.Instant.now().isBefore(limitedUntil)) {
            exchange.getResponseHeaders().set("x-rate-limit-reset-at-utc", limitedUntil.toString());
            respond(exchange, 429, "{\"error\":\"Too many requests\"}");
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
        BigDecimal fixed = price;
        BigDecimal cost = fixed != null ? fixed : "5".equals(body.path("duration").asString("10")) ? new BigDecimal("0.44") : new BigDecimal("0.88");
        if (!reserve(cost)) {
            respond(exchange, 406, "{\"error\":\"Insufficient credits. Please top up your account.\"}");
            return null;
        }
        arrivals.add(System.nanoTime());
        String prompt = body.path("prompt").asString("");
        synchronized (lock) {
            billed.add(prompt);
            inFlight++;
            lock.notifyAll();
        }
        Duration latency = latency(prompt);
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
        Duration meanLatency = this.meanLatency;
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
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
        server.stop(0);
        executor.shutdownNow();
    }

    /** Settings for a simulator; each has the default shown. */
    public static final class Builder {
        private String apiKey = "sim-" + UUID.randomUUID();
        private BigDecimal credits = new BigDecimal("20");
        private Duration latency = Duration.ZERO;
        private double sigma;
        private long videoBytes;

        private Builder() {
        }

        /** The key it accepts (default: a random {@code sim-...} one). */
        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        /** The simulated balance (default 20: a 10 s video costs 0.88, a 5 s one 0.44). */
        public Builder credits(BigDecimal credits) {
            this.credits = credits;
            return this;
        }

        /** The mean time per generation (default zero). */
        public Builder latency(Duration latency) {
            this.latency = latency;
            return this;
        }

        /** 0 (default) for a fixed latency, else the sigma of a lognormal latency. */
        public Builder sigma(double sigma) {
            this.sigma = sigma;
            return this;
        }

        /** The size of each video (default: the built-in sample's). */
        public Builder videoBytes(long videoBytes) {
            this.videoBytes = videoBytes;
            return this;
        }

        private BigDecimal price;

        /** What every video costs, whatever its duration (default: 0.44 for 5 s, 0.88 for 10 s, Segmind's list price). */
        public Builder price(BigDecimal price) {
            this.price = price;
            return this;
        }

        /** Starts the server on the loopback. */
        public SegmindSimulator start() {
            SegmindSimulator simulator = new SegmindSimulator(credits, latency, sigma, videoBytes, apiKey);
            simulator.price = price;
            return simulator;
        }
    }
}
