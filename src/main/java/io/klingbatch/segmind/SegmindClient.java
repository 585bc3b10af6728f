package io.klingbatch.segmind;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;
import org.apache.hc.core5.util.Timeout;

/**
 * Calls Segmind's Kling 2.5 Turbo, and is the only place that retries a call.
 *
 * <p>Retrying here rather than in the step matters for money: a retryable write error makes Spring Batch
 * re-send the whole chunk, and a skippable one re-writes it item by item; both would pay again for calls that
 * already succeeded. Here each video is retried alone, and only when {@link RetryRule} says no charge can
 * have happened. HttpClient's own retries are off for the same reason (it retries 429/503 by default).
 *
 * <p>Whether a failed call may have been billed is decided by whether the request body was fully written:
 * a connection that failed before that cannot have started a generation.
 */
public final class SegmindClient implements Closeable {

    static final String GENERATE_PATH = "/v1/kling-2.5-turbo";
    static final String SUBMIT_PATH = "/v2/kling-2.5-turbo";
    static final String CREDITS_PATH = "/v1/get-user-credits";
    private static final int MAX_ERROR_BODY = 64 * 1024;

    private final ClientSettings settings;
    private final String apiKey;
    private final RateGate gate;
    private final Sleeper sleeper;
    private final Backoff backoff;
    private final CloseableHttpClient http;
    private final java.util.Set<HttpPost> inFlight = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean abandoned;

    public SegmindClient(ClientSettings settings, String apiKey, RateGate gate, Sleeper sleeper) {
        this(settings, apiKey, gate, sleeper, new Backoff(settings.baseDelay(), settings.maxDelay()));
    }

    SegmindClient(ClientSettings settings, String apiKey, RateGate gate, Sleeper sleeper, Backoff backoff) {
        this.settings = settings;
        this.apiKey = apiKey;
        this.gate = gate;
        this.sleeper = sleeper;
        this.backoff = backoff;
        this.http = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setMaxConnTotal(settings.maxConnections())
                        .setMaxConnPerRoute(settings.maxConnections())
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(settings.connectTimeout()))
                                .setSocketTimeout(Timeout.of(settings.responseTimeout()))
                                .setValidateAfterInactivity(Timeout.ofSeconds(2))
                                .build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setResponseTimeout(Timeout.of(settings.responseTimeout()))
                        .setConnectionRequestTimeout(Timeout.ofMinutes(10))
                        .setRedirectsEnabled(false)
                        .build())
                .disableAutomaticRetries()
                .setUserAgent("kling-batch")
                .evictIdleConnections(Timeout.of(1, TimeUnit.MINUTES))
                .build();
    }

    /**
     * Generates one video and streams it into {@code sink}.
     *
     * @throws RowFailedException       the video failed and was not billed; the run goes on
     * @throws UncertainException       it may have been billed without a result; do not resend on your own
     * @throws CreditsExhaustedException stop the run, restartable after a top-up
     * @throws ApiRefusedException      stop the run: nothing more can succeed
     */
    public <T> Generated<T> generate(KlingRequest request, VideoSink<T> sink, Wire wire) {
        byte[] body = request.toJson();
        return retrying(wire, attempt -> post(GENERATE_PATH, body, "video/mp4, application/json",
                (response, url) -> handle(response, sink, url, attempt)));
    }

    public <T> Generated<T> generate(KlingRequest request, VideoSink<T> sink) {
        return generate(request, sink, Wire.NONE);
    }

    /**
     * v2: submits a generation and returns at once with its request id and URLs. The caller must store them
     * before waiting: a POST after a successful submit would start a second billable job, a GET never does.
     *
     * @throws UncertainException a 2xx without a request id (it may have been billed), or a reset after sending
     */
    public Submission submit(KlingRequest request, Wire wire) {
        byte[] body = request.toJson();
        return retrying(wire, attempt -> post(SUBMIT_PATH, body, "application/json", (response, url) -> submission(response)));
    }

    public Submission submit(KlingRequest request) {
        return submit(request, Wire.NONE);
    }

    /** v2: a stored request to poll again; URLs that were not stored are the API's standard ones for the id. */
    public Submission resume(String requestId, String statusUrl, String responseUrl) {
        URI base = settings.baseUrl();
        return new Submission(requestId,
                base.resolve(statusUrl != null ? statusUrl : "/v2/requests/" + requestId + "/status"),
                base.resolve(responseUrl != null ? responseUrl : "/v2/requests/" + requestId));
    }

    /** v2: where a submitted generation stands. Safe to repeat; transient failures throw {@link RetryableException}. */
    public TaskStatus poll(Submission submission) {
        return get(submission.statusUrl(), (response, url) -> {
            int code = response.getCode();
            String body = readText(response.getEntity());
            if (code == 404 || code == 410) {
                return TaskStatus.gone("the API no longer knows request " + submission.requestId() + " (HTTP " + code + ")");
            }
            if (code != 200 && code != 422) {
                throw ErrorMapper.fromResponse(code, body, header(response, "x-rate-limit-reset-at-utc"), url.toString());
            }
            return V2Json.status(body, code);
        });
    }

    /**
     * v2: reads a COMPLETED generation's result and streams its video into {@code sink}. Only the API's own host
     * is sent the key: the output URL may be a file server of someone else's.
     *
     * @throws UncertainException the result names no video (it was billed all the same)
     */
    public <T> Generated<T> fetch(Submission submission, VideoSink<T> sink) {
        V2Json.Result result = get(submission.responseUrl(), (response, url) -> {
            int code = response.getCode();
            String body = readText(response.getEntity());
            if (code == 404 || code == 410) {
                return null;
            }
            if (code != 200) {
                throw ErrorMapper.fromResponse(code, body, header(response, "x-rate-limit-reset-at-utc"), url.toString());
            }
            return V2Json.result(body);
        });
        if (result == null) {
            throw new UncertainException("the result of request " + submission.requestId() + " is gone (results are kept for an hour)", 404);
        }
        if (result.videoUrl() == null) {
            throw new UncertainException("request " + submission.requestId() + " completed without a video URL in its result", 200);
        }
        URI video = submission.statusUrl().resolve(result.videoUrl());
        T saved = get(video, (response, url) -> {
            int code = response.getCode();
            if (code == 429 || code >= 500) {
                throw new RetryableException("the video file server answered HTTP " + code, code);
            }
            if (code != 200) {
                // a file server's 403/404 says nothing about our key or base URL, and results can be fetched again for an
                // hour: asked again later (the request stays SUBMITTED; once it is gone from the API, it is UNCERTAIN)
                throw new RetryableException("the video of request " + submission.requestId() + " could not be downloaded (HTTP "
                        + code + " from " + url.getHost() + ")", code);
            }
            HttpEntity entity = response.getEntity();
            try (InputStream in = entity.getContent()) {
                return sink.save(in, entity.getContentType());
            }
        });
        return new Generated<>(saved, new Billing(result.cost(), result.remainingCredits(), submission.requestId(), result.generationTime()), 1);
    }

    /** {@code GET /v1/get-user-credits}: the account's balance, for estimates before a run. */
    public BigDecimal credits() {
        return get(settings.baseUrl().resolve(CREDITS_PATH), (response, url) -> {
            String body = readText(response.getEntity());
            if (response.getCode() != 200) {
                throw ErrorMapper.fromResponse(response.getCode(), body, null, url.toString());
            }
            return V2Json.credits(body);
        });
    }

    /**
     * Tries {@code call} until it succeeds or {@link RetryRule} says stop; 429 waits do not count as attempts. The wire
     * is told right before each send (after the gate's waits) and whenever an answer says nothing was billed, before
     * the next wait.
     */
    private <R> R retrying(Wire wire, java.util.function.IntFunction<R> call) {
        int attempts = 0;
        int rateLimitWaits = 0;
        while (true) {
            java.util.function.BooleanSupplier stop = () -> abandoned || wire.cancelled();
            try {
                if (!gate.acquire(stop) || !wire.sending()) {
                    throw (NotSentException) new NotSentException("not sent: the run is stopping, or another run took this video")
                            .attempts(attempts);
                }
                attempts++;
                return call.apply(attempts);
            } catch (RateLimitedException limited) {
                wire.notBilled(limited.getMessage(), false);
                attempts--; // a 429 is not billed and not the request's fault: it is not an attempt
                if (++rateLimitWaits > settings.maxRateLimitWaits()) {
                    throw (RowFailedException) new RowFailedException("still rate limited after " + settings.maxRateLimitWaits()
                            + " waits", 429, limited).attempts(attempts);
                }
                gate.pauseUntil(resumeAfter(limited, rateLimitWaits));
            } catch (NotSentException notSent) {
                throw notSent;
            } catch (SegmindException error) {
                error.attempts(attempts);
                if (!RetryRule.shouldRetry(error)) {
                    throw error;
                }
                if (attempts >= settings.maxAttempts()) {
                    if (error.status() == 0 && error instanceof RetryableException) {
                        // no connection at all, attempt after attempt: every other row would fail the same way
                        throw new ApiUnreachableException("could not reach " + settings.baseUrl().getHost() + " in " + attempts
                                + " attempts (" + error.getMessage() + ")", error).attempts(attempts);
                    }
                    throw (RowFailedException) new RowFailedException("gave up after " + attempts + " attempts: "
                            + error.getMessage(), error.status(), error).attempts(attempts);
                }
                wire.notBilled(error.getMessage(), true);
                pause(backoff.delay(attempts), stop);
            } catch (InterruptedException interrupted) {
                // not re-interrupted on purpose: the worker goes on to record what happened, and an interrupted thread's
                // next file write would close the H2 database; the call was not sent
                throw (NotSentException) new NotSentException("not sent: interrupted while waiting to send").attempts(attempts);
            }
        }
    }

    private Instant resumeAfter(RateLimitedException limited, int waits) {
        Instant now = gate.clock().instant();
        Instant cap = now.plus(settings.maxRateLimitWait());
        Instant reset = limited.resetAt();
        if (reset == null) {
            return now.plus(backoff.delay(waits));
        }
        return reset.isAfter(cap) ? cap : reset;
    }

    /** A backoff wait, cut short when the run stops (the next turn of the loop then sends nothing). */
    private void pause(Duration delay, java.util.function.BooleanSupplier stop) {
        try {
            sleeper.sleep(delay, stop);
        } catch (InterruptedException e) {
            // not re-interrupted: see retrying
            throw new NotSentException("not sent: interrupted while waiting to retry");
        }
    }

    private <R> R post(String path, byte[] body, String accept, Handler<R> handler) {
        URI url = settings.baseUrl().resolve(path);
        HttpPost post = new HttpPost(url);
        post.setHeader("x-api-key", apiKey);
        post.setHeader("Accept", accept);
        SentTracker entity = new SentTracker(new ByteArrayEntity(body, ContentType.APPLICATION_JSON));
        post.setEntity(entity);
        inFlight.add(post);
        try {
            if (abandoned) {
                post.cancel();
            }
            return http.execute(post, response -> handler.handle(response, url));
        } catch (UnknownHostException e) {
            throw new RetryableException("cannot find the host " + url.getHost() + " (no network, or a wrong segmind.base-url)", 0, e);
        } catch (IOException e) {
            if (!entity.fullySent()) {
                throw new RetryableException("could not reach " + url.getHost() + " (" + describe(e) + ")", 0, e);
            }
            if (e instanceof SocketTimeoutException) {
                throw new UncertainException("no answer within " + settings.responseTimeout().toSeconds()
                        + "s after the request was sent; the API may have charged for it", 0, e);
            }
            if (post.isCancelled()) {
                throw new UncertainException("abandoned while the API was making it (a second Ctrl-C, or the shutdown grace ran out);"
                        + " the API may have charged for it", 0, e);
            }
            throw new UncertainException("the connection broke after the request was sent (" + describe(e)
                    + "); the API may have charged for it", 0, e);
        } finally {
            inFlight.remove(post);
        }
    }

    /** Paid requests on the wire right now. */
    public int inFlight() {
        return inFlight.size();
    }

    /**
     * Abandons every paid request on the wire now, and any about to be sent (a second Ctrl-C, or the shutdown grace ran
     * out): their connections are closed, and the calls end as UNCERTAIN, since the API may have charged for them.
     */
    public void abandon() {
        abandoned = true;
        inFlight.forEach(HttpPost::cancel);
    }

    /**
     * A GET: always safe to repeat (nothing is billed), so every I/O failure is retryable. The key goes only to
     * the API's own host.
     */
    private <R> R get(URI url, Handler<R> handler) {
        HttpGet get = new HttpGet(url);
        if (sameHost(url, settings.baseUrl())) {
            get.setHeader("x-api-key", apiKey);
        }
        try {
            return http.execute(get, response -> handler.handle(response, url));
        } catch (UnknownHostException e) {
            throw new RetryableException("cannot find host " + url.getHost(), 0, e);
        } catch (IOException e) {
            throw new RetryableException("could not read " + url + " (" + describe(e) + ")", 0, e);
        }
    }

    private static boolean sameHost(URI a, URI b) {
        return a.getHost() != null && a.getHost().equalsIgnoreCase(b.getHost()) && a.getPort() == b.getPort()
                && String.valueOf(a.getScheme()).equalsIgnoreCase(b.getScheme());
    }

    private Submission submission(ClassicHttpResponse response) {
        int code = response.getCode();
        String body = readText(response.getEntity());
        if (code < 200 || code > 299) {
            throw ErrorMapper.fromResponse(code, body, header(response, "x-rate-limit-reset-at-utc"), settings.baseUrl().resolve(SUBMIT_PATH).toString());
        }
        return V2Json.submission(body, settings.baseUrl());
    }

    @FunctionalInterface
    private interface Handler<R> {
        R handle(ClassicHttpResponse response, URI url) throws IOException;
    }

    private <T> Generated<T> handle(ClassicHttpResponse response, VideoSink<T> sink, URI url, int attempt) throws IOException {
        int status = response.getCode();
        HttpEntity entity = response.getEntity();
        if (status != 200) {
            throw ErrorMapper.fromResponse(status, readText(entity), header(response, "x-rate-limit-reset-at-utc"), url.toString());
        }
        Billing billing = new Billing(number(response, "x-cost"), number(response, "x-remaining-credits"), header(response, "x-request-id"),
                header(response, "x-generation-time"));
        String contentType = entity == null || entity.getContentType() == null ? "" : entity.getContentType();
        String type = contentType.toLowerCase(Locale.ROOT);
        if (entity == null || type.startsWith("application/json") || type.startsWith("text/")) {
            throw new UncertainException("HTTP 200 without a video" + (entity == null ? "" : " (" + contentType + "): "
                    + ErrorMapper.apiError(readText(entity))) + "; the API may have charged for it", 200);
        }
        try (InputStream in = entity.getContent()) {
            return new Generated<>(sink.save(in, contentType), billing, attempt);
        } catch (UncheckedIOException e) {
            throw e;
        } catch (IOException e) {
            throw new UncertainException("paid (HTTP 200) but the download broke (" + describe(e)
                    + "); the video may be lost", 200, e);
        }
    }

    /** An error body as text, with the API key blanked out should the server echo it back. */
    private String readText(HttpEntity entity) {
        if (entity == null) {
            return "";
        }
        try (InputStream in = entity.getContent()) {
            return new String(in.readNBytes(MAX_ERROR_BODY), StandardCharsets.UTF_8).replace(apiKey, "[the API key]");
        } catch (IOException e) {
            return "";
        }
    }

    private static String header(ClassicHttpResponse response, String name) {
        Header header = response.getFirstHeader(name);
        return header == null ? null : header.getValue();
    }

    private static BigDecimal number(ClassicHttpResponse response, String name) {
        String value = header(response, name);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return new BigDecimal(value.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String describe(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    @Override
    public void close() {
        try {
            http.close();
        } catch (IOException ignored) {
            // closing a pool: nothing is lost
        }
    }

    @Override
    public String toString() {
        return "SegmindClient[" + settings.baseUrl() + "]";
    }

    /** Remembers whether the request body was written out in full: the line between "retry" and "uncertain". */
    private static final class SentTracker extends HttpEntityWrapper {

        private volatile boolean fullySent;

        SentTracker(HttpEntity entity) {
            super(entity);
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            super.writeTo(out);
            out.flush();
            fullySent = true;
        }

        boolean fullySent() {
            return fullySent;
        }
    }
}
