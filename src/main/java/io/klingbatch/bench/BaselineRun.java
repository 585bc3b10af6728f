package io.klingbatch.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;

/**
 * The bare baseline the benchmark compares with: what {@code xargs -P N curl} does, in-process. N plain threads
 * take the next body from a shared counter, POST it, and stream the answer to a file. No ledger, no job
 * repository, no retries, no checks.
 */
final class BaselineRun {

    private BaselineRun() {
    }

    static Duration run(URI baseUrl, String apiKey, List<byte[]> bodies, int threads, Path folder) throws Exception {
        Files.createDirectories(folder);
        try (CloseableHttpClient http = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setMaxConnTotal(threads).setMaxConnPerRoute(threads).build())
                .disableAutomaticRetries()
                .build()) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            AtomicInteger next = new AtomicInteger();
            long start = System.nanoTime();
            try {
                List<Future<?>> workers = new java.util.ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    workers.add(pool.submit(() -> {
                        for (int i = next.getAndIncrement(); i < bodies.size(); i = next.getAndIncrement()) {
                            post(http, baseUrl, apiKey, bodies.get(i), folder.resolve(i + ".mp4"));
                        }
                        return null;
                    }));
                }
                for (Future<?> worker : workers) {
                    worker.get();
                }
            } finally {
                pool.shutdownNow();
            }
            return Duration.ofNanos(System.nanoTime() - start);
        }
    }

    private static void post(CloseableHttpClient http, URI baseUrl, String apiKey, byte[] body, Path file) throws IOException {
        HttpPost post = new HttpPost(baseUrl.resolve("/v1/kling-2.5-turbo"));
        post.setHeader("x-api-key", apiKey);
        post.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON));
        http.execute(post, response -> {
            if (response.getCode() != 200) {
                throw new IOException("baseline got HTTP " + response.getCode());
            }
            try (InputStream in = response.getEntity().getContent(); OutputStream out = Files.newOutputStream(file)) {
                in.transferTo(out);
            }
            return null;
        });
    }
}
