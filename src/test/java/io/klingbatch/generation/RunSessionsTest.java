package io.klingbatch.generation;

import static org.assertj.core.api.Assertions.assertThat;

import io.klingbatch.segmind.ClientSettings;
import io.klingbatch.segmind.CreditsExhaustedException;
import io.klingbatch.segmind.RateGate;
import io.klingbatch.segmind.SegmindClient;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** All workers of one run share one client (one connection pool, one rate gate) and one stop flag. */
class RunSessionsTest {

    @Test
    void theWorkersOfOneRunShareOneSession() {
        RunSessions sessions = new RunSessions();
        AtomicInteger opened = new AtomicInteger();

        RunSession first = sessions.open(7L, () -> client(opened));
        RunSession second = sessions.open(7L, () -> client(opened));
        RunSession other = sessions.open(8L, () -> client(opened));

        assertThat(second).isSameAs(first);
        assertThat(other).isNotSameAs(first);
        assertThat(opened).hasValue(2);
        sessions.close(7L);
        sessions.close(8L);
    }

    @Test
    void theFirstStopReasonWins() {
        RunSession session = new RunSession(client(new AtomicInteger()));
        CreditsExhaustedException credits = new CreditsExhaustedException("out of credits", 406);

        session.stop(credits);
        session.stop(new CreditsExhaustedException("later", 406));

        assertThat(session.stopReason()).isSameAs(credits);
        session.close();
    }

    private static SegmindClient client(AtomicInteger opened) {
        opened.incrementAndGet();
        return new SegmindClient(new ClientSettings(URI.create("http://127.0.0.1:9"), 1, Duration.ofMillis(1), Duration.ofMillis(1),
                Duration.ofSeconds(1), Duration.ofSeconds(1), 1, Duration.ofSeconds(1), 1),
                "key", new RateGate(Clock.systemUTC(), d -> { }, 0), d -> { });
    }
}
