package io.klingbatch.segmind;

import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Opens a {@link SegmindClient} for one run: against Segmind with the key from the environment, or against
 * the built-in simulator (started on first use, one per process).
 */
@Component
public class SegmindConnector implements DisposableBean {

    private final SegmindProperties properties;
    private final SimulatorProperties simulatorProperties;
    private final ApiKeySource keys;
    private final Clock clock;
    private final Sleeper sleeper;
    private SegmindSimulator simulator;

    SegmindConnector(SegmindProperties properties, SimulatorProperties simulatorProperties, ApiKeySource keys, Clock clock, Sleeper sleeper) {
        this.properties = properties;
        this.simulatorProperties = simulatorProperties;
        this.keys = keys;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** Whether a real run could start: false when {@code SEGMIND_API_KEY} is not set. */
    public boolean hasApiKey() {
        return keys.apiKey().isPresent();
    }

    /**
     * @param simulated  against the built-in simulator instead of Segmind
     * @param attempts   and the other overrides: a job file's client settings, each may be null
     */
    public SegmindClient open(boolean simulated, Integer attempts, Duration baseDelay, Duration connectTimeout,
                              Duration responseTimeout, int workers, int requestsPerMinute) {
        RateGate gate = new RateGate(clock, sleeper, requestsPerMinute);
        if (simulated) {
            SegmindSimulator sim = simulator();
            return new SegmindClient(properties.with(sim.baseUrl(), attempts, baseDelay, connectTimeout, responseTimeout, workers),
                    sim.apiKey(), gate, sleeper);
        }
        String key = keys.apiKey().orElseThrow(() -> new ApiRefusedException(
                "no API key: set the environment variable " + ApiKeySource.VARIABLE + " (or use --simulate)", 0));
        return new SegmindClient(properties.with(null, attempts, baseDelay, connectTimeout, responseTimeout, workers), key, gate, sleeper);
    }

    /** The account's balance ({@code GET /v1/get-user-credits}), or the simulator's. */
    public java.math.BigDecimal credits(boolean simulated) {
        try (SegmindClient client = open(simulated, 1, null, null, java.time.Duration.ofSeconds(30), 1, 0)) {
            return client.credits();
        }
    }

    public synchronized SegmindSimulator simulator() {
        if (simulator == null) {
            simulator = new SegmindSimulator(simulatorProperties.credits(), simulatorProperties.latency(), simulatorProperties.sigma(),
                    simulatorProperties.videoSize().toBytes());
        }
        return simulator;
    }

    @Override
    public synchronized void destroy() {
        if (simulator != null) {
            simulator.close();
        }
    }
}
