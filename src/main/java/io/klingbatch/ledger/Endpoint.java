package io.klingbatch.ledger;

import java.net.URI;
import java.util.Locale;

/**
 * The API a video was paid to: the built-in simulator, or an API by its base URL. Part of every video's identity, so
 * a simulated video never stands in for a real one, and two endpoints (a staging proxy and Segmind, say) never mix.
 */
public record Endpoint(String id) {

    public static final Endpoint SIMULATOR = new Endpoint("simulator");

    /** The API at {@code baseUrl}, written one way only: lower-case scheme and host, no default port, no trailing slash. */
    public static Endpoint of(URI baseUrl) {
        String scheme = baseUrl.getScheme() == null ? "https" : baseUrl.getScheme().toLowerCase(Locale.ROOT);
        String host = baseUrl.getHost() == null ? String.valueOf(baseUrl) : baseUrl.getHost().toLowerCase(Locale.ROOT);
        int port = baseUrl.getPort();
        boolean defaultPort = port == -1 || port == 443 && scheme.equals("https") || port == 80 && scheme.equals("http");
        String path = baseUrl.getPath() == null ? "" : baseUrl.getPath().replaceAll("/+$", "");
        return new Endpoint(scheme + "://" + host + (defaultPort ? "" : ":" + port) + path);
    }

    public boolean simulated() {
        return equals(SIMULATOR);
    }

    @Override
    public String toString() {
        return simulated() ? "the simulated API" : id;
    }
}
