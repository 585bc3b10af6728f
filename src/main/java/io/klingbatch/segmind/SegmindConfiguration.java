package io.klingbatch.segmind;

import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Time and the API key as beans, so tests replace them instead of sleeping or setting environment variables. */
@Configuration(proxyBeanMethods = false)
public class SegmindConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    Sleeper sleeper() {
        return Sleeper.SYSTEM;
    }

    @Bean
    ApiKeySource apiKeySource() {
        return ApiKeySource.ENVIRONMENT;
    }
}
