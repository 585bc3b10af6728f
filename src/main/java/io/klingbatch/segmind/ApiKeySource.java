package io.klingbatch.segmind;

import java.util.Optional;

/**
 * Where the API key comes from: only the environment variable {@code SEGMIND_API_KEY}, read when a client is
 * opened and kept in memory only. It is never a job parameter (those are stored in plain text), never logged,
 * never written to the ledger or the manifest.
 */
@FunctionalInterface
public interface ApiKeySource {

    String VARIABLE = "SEGMIND_API_KEY";

    ApiKeySource ENVIRONMENT = () -> Optional.ofNullable(System.getenv(VARIABLE)).map(String::strip).filter(key -> !key.isEmpty());

    Optional<String> apiKey();
}
