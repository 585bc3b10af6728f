package io.klingbatch.segmind;

import java.math.BigDecimal;
import java.net.URI;
import java.util.Locale;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the v2 queue's JSON bodies defensively: fields are looked up by name, numbers may come as strings, and a
 * body that lacks what the caller needs is an error, never an endless poll.
 */
final class V2Json {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private V2Json() {
    }

    /** A 2xx submit answer: it must name the request and where to poll, or the call may have been paid for nothing. */
    static Submission submission(String body, URI base) {
        JsonNode node = tree(body);
        String id = text(node, "request_id");
        String status = text(node, "status_url");
        String response = text(node, "response_url");
        if (id == null || status == null && response == null) {
            throw new UncertainException("the API accepted the request but named no request id or status URL ("
                    + abbreviate(body) + "); it may have charged for it", 200);
        }
        URI statusUrl = base.resolve(status != null ? status : "/v2/requests/" + id + "/status");
        URI responseUrl = base.resolve(response != null ? response : "/v2/requests/" + id);
        return new Submission(id, statusUrl, responseUrl);
    }

    /** A status answer; a FAILED body wins over the HTTP code (a failed task may come back as 422). */
    static TaskStatus status(String body, int code) {
        JsonNode node = tree(body);
        String status = text(node, "status");
        if (status == null) {
            if (code == 422) {
                return new TaskStatus(TaskStatus.State.FAILED, ErrorMapper.apiError(body));
            }
            throw new RetryableException("a status answer without a status (" + abbreviate(body) + ")", code);
        }
        return switch (status.toUpperCase(Locale.ROOT)) {
            case "QUEUED", "PENDING", "IN_QUEUE" -> new TaskStatus(TaskStatus.State.QUEUED, null);
            case "PROCESSING", "RUNNING", "IN_PROGRESS" -> new TaskStatus(TaskStatus.State.PROCESSING, null);
            case "COMPLETED", "SUCCEEDED", "SUCCESS" -> new TaskStatus(TaskStatus.State.COMPLETED, null);
            case "FAILED", "ERROR", "CANCELLED", "CANCELED" -> new TaskStatus(TaskStatus.State.FAILED,
                    text(node, "error") != null ? text(node, "error") : ErrorMapper.apiError(body));
            default -> throw new RetryableException("an unknown status '" + status + "'", code);
        };
    }

    /** The result of a COMPLETED request: {@code output} (a URL), else {@code video.url}; cost from {@code metrics}. */
    static Result result(String body) {
        JsonNode node = tree(body);
        String url = null;
        JsonNode output = node.get("output");
        if (output != null && output.isString()) {
            url = output.stringValue();
        } else if (output != null && output.isArray() && !output.isEmpty() && output.get(0).isString()) {
            url = output.get(0).stringValue();
        } else if (output != null && output.isObject()) {
            url = text(output, "url");
        }
        if (url == null && node.get("video") != null) {
            url = text(node.get("video"), "url");
        }
        JsonNode metrics = node.path("metrics");
        return new Result(url, number(metrics, "cost"), number(metrics, "remaining_credits"), text(metrics, "inference_time"));
    }

    static BigDecimal credits(String body) {
        BigDecimal credits = number(tree(body), "credits");
        if (credits == null) {
            throw new RetryableException("a credits answer without credits (" + abbreviate(body) + ")", 200);
        }
        BigDecimal free = number(tree(body), "free-credits");
        return free == null ? credits : credits.add(free);
    }

    record Result(String videoUrl, BigDecimal cost, BigDecimal remainingCredits, String generationTime) {
    }

    private static JsonNode tree(String body) {
        try {
            JsonNode node = JSON.readTree(body == null || body.isBlank() ? "{}" : body);
            return node == null ? JSON.createObjectNode() : node;
        } catch (RuntimeException e) {
            return JSON.createObjectNode();
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        String text = value.isString() ? value.stringValue() : value.toString();
        return text.isBlank() ? null : text;
    }

    private static BigDecimal number(JsonNode node, String field) {
        String text = text(node, field);
        if (text == null) {
            return null;
        }
        try {
            return new BigDecimal(text.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String abbreviate(String body) {
        String text = body == null ? "" : body.strip();
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }
}
