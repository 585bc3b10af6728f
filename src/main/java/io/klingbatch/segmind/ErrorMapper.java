package io.klingbatch.segmind;

import java.util.Locale;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one place an HTTP error response becomes a {@link SegmindException} subtype. Error bodies are read
 * defensively: JSON {@code {"error": "..."}} when there is one, an HTML page (a 405 can be one) or nothing.
 */
final class ErrorMapper {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MAX_MESSAGE = 300;

    private ErrorMapper() {
    }

    static SegmindException fromResponse(int status, String body, String resetHeader, String url) {
        String apiError = apiError(body);
        return switch (status) {
            case 401 -> new ApiRefusedException("the API key was refused (HTTP 401): check SEGMIND_API_KEY" + suffix(apiError), status);
            case 403 -> new ApiRefusedException("the API refused access (HTTP 403)" + suffix(apiError), status);
            case 404, 405 -> new ApiRefusedException("the API has no such endpoint " + url + " (HTTP " + status
                    + "): check segmind.base-url" + suffix(apiError), status);
            case 410 -> new ApiRefusedException("the model at " + url + " is retired (HTTP 410)" + suffix(apiError), status);
            case 406 -> notAcceptable(apiError);
            case 429 -> new RateLimitedException("rate limited (HTTP 429)" + suffix(apiError), ResetTime.parse(resetHeader));
            case 500, 502, 503, 504 -> new RetryableException("the API had a transient error (HTTP " + status + ")" + suffix(apiError), status);
            default -> new RowFailedException("the API answered HTTP " + status + suffix(apiError), status);
        };
    }

    /**
     * 406 means "not enough credits", "team spend limit reached" or "bad Content-Type". The last is our bug
     * and would fail every row, so it stops the run for good; anything else stops restartably, which loses
     * nothing even if the body was unreadable.
     */
    private static SegmindException notAcceptable(String apiError) {
        String lower = apiError.toLowerCase(Locale.ROOT);
        if (lower.contains("content-type") || lower.contains("content type")) {
            return new ApiRefusedException("the API refused the request's Content-Type (HTTP 406)" + suffix(apiError), 406);
        }
        return new CreditsExhaustedException("out of credits or over the spend limit (HTTP 406)" + suffix(apiError), 406);
    }

    /** The API's error text from a body that may be JSON, HTML, empty or anything else. */
    static String apiError(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String text = body.strip();
        if (text.startsWith("{")) {
            try {
                JsonNode node = JSON.readTree(text);
                for (String field : new String[] {"error", "message", "detail"}) {
                    JsonNode value = node.get(field);
                    if (value != null && !value.isNull()) {
                        return truncate(value.isString() ? value.stringValue() : value.toString());
                    }
                }
            } catch (RuntimeException e) {
                // not JSON after all: fall through to plain text
            }
        }
        return truncate(text.replaceAll("(?s)<[^>]*>", " ").replaceAll("\\s+", " ").strip());
    }

    private static String suffix(String apiError) {
        return apiError.isEmpty() ? "" : ": " + apiError;
    }

    private static String truncate(String text) {
        return text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE) + "...";
    }

}
