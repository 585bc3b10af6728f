package io.klingbatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The copied digest hashes as a fresh one does, from many threads at once (request fingerprints are made by every worker). */
class Sha256Test {

    private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"; // FIPS 180-2's example

    @Test
    void copiesHashAsAFreshDigestDoesOnEveryThread() throws Exception {
        assertThat(Sha256.of("abc")).isEqualTo(ABC);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> all = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                all.add(pool.submit(() -> {
                    for (int i = 0; i < 20_000; i++) {
                        if (!Sha256.of("abc").equals(ABC)) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> each : all) {
                assertThat(each.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
