package io.klingbatch;

import io.klingbatch.segmind.ApiKeySource;
import io.klingbatch.segmind.Sleeper;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/** Test doubles for what the application takes from the outside world: time and the API key. */
@TestConfiguration(proxyBeanMethods = false)
public class KlingTestConfiguration {

    /** The key every job test sends; the tests check it is stored nowhere. */
    public static final String TEST_KEY = "sk-test-4f9c2e7a-never-store-me";
    public static final TestTime TIME = new TestTime();
    /** What the environment variable holds for the test; a test may blank it to check the "no key" path. */
    public static final AtomicReference<String> KEY = new AtomicReference<>(TEST_KEY);

    @Bean
    @Primary
    ApiKeySource testApiKey() {
        return () -> Optional.ofNullable(KEY.get());
    }

    @Bean
    @Primary
    Clock testClock() {
        return TIME;
    }

    @Bean
    @Primary
    Sleeper testSleeper() {
        return TIME.sleeper();
    }
}
