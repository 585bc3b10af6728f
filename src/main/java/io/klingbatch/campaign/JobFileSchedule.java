package io.klingbatch.campaign;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.scheduling.support.CronExpression;

/**
 * The job file's keys for unattended runs: {@code schedule:} (a Spring cron expression with a seconds field, or a macro
 * such as {@code @daily}) and {@code notify: webhook-url:}. Checked when the job file is read, so a typo is an error
 * naming the job file, never a schedule that silently never fires.
 */
final class JobFileSchedule {

    private static final Set<String> NOTIFY_KEYS = Set.of("webhook-url");

    private JobFileSchedule() {
    }

    /** The schedule as written (checked with Spring's {@link CronExpression}), or null when the job file has none. */
    static String cron(Path jobFile, Object raw) {
        if (raw == null || String.valueOf(raw).isBlank()) {
            return null;
        }
        String cron = String.valueOf(raw).strip();
        try {
            CronExpression.parse(cron);
            return cron;
        } catch (IllegalArgumentException e) {
            throw new CampaignFileException(jobFile, "'schedule' must be a cron expression with seconds, such as \"0 0 2 * * *\" (2 am "
                    + "daily) or \"@daily\", quoted (got '" + cron + "': " + e.getMessage() + ")");
        }
    }

    /** The webhook to tell when a run ends, or null. */
    static URI webhook(Path jobFile, Object node) {
        if (node == null) {
            return null;
        }
        if (!(node instanceof Map<?, ?> map)) {
            throw new CampaignFileException(jobFile, "'notify' must be a section of settings (webhook-url)");
        }
        for (Object key : map.keySet()) {
            if (!NOTIFY_KEYS.contains(String.valueOf(key))) {
                throw new CampaignFileException(jobFile, "unknown setting 'notify." + key + "' (known: " + String.join(", ", NOTIFY_KEYS) + ")");
            }
        }
        Object raw = map.get("webhook-url");
        if (raw == null || String.valueOf(raw).isBlank()) {
            return null;
        }
        String text = String.valueOf(raw).strip();
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new CampaignFileException(jobFile, "'notify.webhook-url' must be an http(s) URL (got '" + text + "')");
    }
}
