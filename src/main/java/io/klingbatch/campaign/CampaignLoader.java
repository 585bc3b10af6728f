package io.klingbatch.campaign;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.convert.DurationStyle;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Turns what the user named on the command line ({@code campaign.csv} or {@code jobs/NAME.yml}) into a
 * {@link Campaign}. Paths inside a job file are relative to the job file; the default output folder is
 * {@code out/<name>} under the working directory. A job file with an unknown key is an error rather than a
 * silently ignored typo.
 */
public final class CampaignLoader {

    private static final Set<String> TOP_KEYS = Set.of("input", "output", "defaults", "client", "concurrency", "requests-per-minute", "api", "max-credits",
            "formats", "takes", "name-pattern", "sheet", "prompt-template", "negative-prompt-template", "schedule", "notify");
    private static final Set<String> CLIENT_KEYS = Set.of("max-attempts", "base-delay", "connect-timeout", "response-timeout");

    private final Path workingDirectory;

    public CampaignLoader(Path workingDirectory) {
        this.workingDirectory = workingDirectory.toAbsolutePath().normalize();
    }

    /** Loads a campaign; {@code outputOverride} (may be null) wins over the job file and the default. */
    public Campaign load(Path given, Path outputOverride) {
        Path source = workingDirectory.resolve(given).normalize();
        String fileName = source.getFileName().toString();
        String name = fileName.contains(".") ? fileName.substring(0, fileName.lastIndexOf('.')) : fileName;
        String lower = fileName.toLowerCase(Locale.ROOT);
        Campaign campaign = lower.endsWith(".yml") || lower.endsWith(".yaml")
                ? fromJobFile(source, name)
                : new Campaign(name, source, source, defaultOutput(name), Map.of(), ClientOptions.NONE, RunOptions.NONE, false);
        if (!Files.isRegularFile(campaign.csv())) {
            throw new CampaignFileException(campaign.csv(), Files.exists(campaign.csv()) ? "is not a file" : "no such file");
        }
        return outputOverride == null ? campaign : campaign.withOutput(workingDirectory.resolve(outputOverride));
    }

    private Path defaultOutput(String name) {
        return workingDirectory.resolve("out").resolve(name).normalize();
    }

    private Campaign fromJobFile(Path jobFile, String name) {
        Map<String, Object> yaml = readYaml(jobFile);
        checkKeys(jobFile, "", yaml, TOP_KEYS);
        Object input = yaml.get("input");
        if (!(input instanceof String inputText) || inputText.isBlank()) {
            throw new CampaignFileException(jobFile, "'input' must name the campaign CSV (relative to the job file)");
        }
        Path folder = jobFile.getParent();
        Path csv = folder.resolve(inputText.strip()).normalize();
        Object output = yaml.get("output");
        Path outputPath = output == null || String.valueOf(output).isBlank()
                ? defaultOutput(name) : folder.resolve(String.valueOf(output).strip()).normalize();
        RunOptions options = new RunOptions(wholeNumber(jobFile, yaml, "", "concurrency"), wholeNumber(jobFile, yaml, "", "requests-per-minute"),
                api(jobFile, yaml.get("api")), credits(jobFile, yaml.get("max-credits")));
        Integer takes = wholeNumber(jobFile, yaml, "", "takes");
        VideoOptions videos = new VideoOptions(formats(jobFile, yaml.get("formats")), takes == null ? 1 : takes,
                namePattern(jobFile, yaml.get("name-pattern")));
        return new Campaign(name, jobFile, csv, outputPath, defaults(jobFile, yaml.get("defaults")), client(jobFile, yaml.get("client")), options,
                output != null && !String.valueOf(output).isBlank(), videos, sheet(jobFile, yaml.get("sheet")),
                template(jobFile, "prompt-template", yaml.get("prompt-template")),
                template(jobFile, "negative-prompt-template", yaml.get("negative-prompt-template")),
                JobFileSchedule.cron(jobFile, yaml.get("schedule")), JobFileSchedule.webhook(jobFile, yaml.get("notify")));
    }

    private static String namePattern(Path jobFile, Object raw) {
        if (raw == null) {
            return null;
        }
        if (!(raw instanceof String text)) {
            throw new CampaignFileException(jobFile, "'name-pattern' must be text; quote it when it starts with a brace (name-pattern: \"{product}-{city}\")");
        }
        try {
            VideoOptions.columnsOf(text);
        } catch (IllegalArgumentException e) {
            throw new CampaignFileException(jobFile, "'name-pattern' " + e.getMessage());
        }
        return text;
    }

    private static String sheet(Path jobFile, Object raw) {
        if (raw == null) {
            return null;
        }
        if (!(raw instanceof String name) || name.isBlank()) {
            throw new CampaignFileException(jobFile, "'sheet' must name a sheet of the .xlsx input (got '" + raw + "')");
        }
        return name.strip();
    }

    private static PromptTemplate template(Path jobFile, String key, Object raw) {
        if (raw == null) {
            return null;
        }
        if (!(raw instanceof String text)) {
            throw new CampaignFileException(jobFile, "'" + key + "' must be text; quote it when it starts with a brace ("
                    + key + ": \"{product} on a beach\")");
        }
        try {
            return PromptTemplate.parse(key, text);
        } catch (IllegalArgumentException e) {
            throw new CampaignFileException(jobFile, "'" + key + "' " + e.getMessage());
        }
    }

    /** {@code formats: [16:9, 9:16]} or {@code formats: "16:9, 9:16"}: aspect ratios every row is made in, each checked. */
    private static java.util.List<String> formats(Path jobFile, Object node) {
        if (node == null) {
            return java.util.List.of();
        }
        java.util.List<String> formats = new java.util.ArrayList<>();
        Iterable<?> values = node instanceof Iterable<?> list ? list : java.util.Arrays.asList(String.valueOf(node).split("[,|]"));
        for (Object value : values) {
            String format = String.valueOf(value).strip();
            if (!Columns.ASPECT_RATIO_VALUES.contains(format)) {
                throw new CampaignFileException(jobFile, "'formats' holds '" + format + "'; each must be one of "
                        + String.join(", ", Columns.ASPECT_RATIO_VALUES));
            }
            if (!formats.contains(format)) {
                formats.add(format);
            }
        }
        if (formats.isEmpty()) {
            throw new CampaignFileException(jobFile, "'formats' is empty; give at least one of " + String.join(", ", Columns.ASPECT_RATIO_VALUES));
        }
        return formats;
    }

    private static Map<String, String> defaults(Path jobFile, Object node) {
        if (node == null) {
            return Map.of();
        }
        Map<String, Object> map = asMap(jobFile, "defaults", node);
        Map<String, String> defaults = new LinkedHashMap<>();
        map.forEach((key, value) -> {
            if (!Columns.DEFAULTABLE.contains(key)) {
                throw new CampaignFileException(jobFile, "'defaults." + key + "' is not a column with a default (allowed: "
                        + String.join(", ", Columns.DEFAULTABLE) + ")");
            }
            if (value != null) {
                defaults.put(key, String.valueOf(value));
            }
        });
        return Map.copyOf(defaults);
    }

    private static ClientOptions client(Path jobFile, Object node) {
        if (node == null) {
            return ClientOptions.NONE;
        }
        Map<String, Object> map = asMap(jobFile, "client", node);
        checkKeys(jobFile, "client.", map, CLIENT_KEYS);
        Integer attempts = wholeNumber(jobFile, map, "client.", "max-attempts");
        return new ClientOptions(attempts, duration(jobFile, map, "base-delay"),
                duration(jobFile, map, "connect-timeout"), duration(jobFile, map, "response-timeout"));
    }

    private static String api(Path jobFile, Object raw) {
        if (raw == null || String.valueOf(raw).isBlank()) {
            return null;
        }
        String api = String.valueOf(raw).strip().toLowerCase(java.util.Locale.ROOT);
        if (!api.equals("v1") && !api.equals("v2")) {
            throw new CampaignFileException(jobFile, "'api' must be v1 or v2 (got '" + raw + "')");
        }
        return api;
    }

    private static java.math.BigDecimal credits(Path jobFile, Object raw) {
        if (raw == null || String.valueOf(raw).isBlank()) {
            return null;
        }
        try {
            java.math.BigDecimal value = new java.math.BigDecimal(String.valueOf(raw).strip());
            if (value.signum() > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CampaignFileException(jobFile, "'max-credits' must be a positive number of credits (got '" + raw + "')");
    }

    static Integer wholeNumber(Path jobFile, Map<String, Object> map, String prefix, String key) {
        Object raw = map.get(key);
        if (raw == null) {
            return null;
        }
        try {
            int value = Integer.parseInt(String.valueOf(raw).strip());
            if (value >= 1) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CampaignFileException(jobFile, "'" + prefix + key + "' must be a whole number of at least 1 (got '" + raw + "')");
    }

    private static Duration duration(Path jobFile, Map<String, Object> map, String key) {
        Object raw = map.get(key);
        if (raw == null) {
            return null;
        }
        try {
            Duration value = DurationStyle.detectAndParse(String.valueOf(raw));
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("not positive");
            }
            return value;
        } catch (IllegalArgumentException e) {
            throw new CampaignFileException(jobFile, "'client." + key + "' must be a positive duration such as 500ms, 2s or 5m (got '" + raw + "')");
        }
    }

    private static void checkKeys(Path jobFile, String prefix, Map<String, Object> map, Set<String> allowed) {
        for (String key : map.keySet()) {
            if (!allowed.contains(key)) {
                throw new CampaignFileException(jobFile, "unknown setting '" + prefix + key + "' (known: " + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Path jobFile, String key, Object node) {
        if (!(node instanceof Map<?, ?> map)) {
            throw new CampaignFileException(jobFile, "'" + key + "' must be a section of settings");
        }
        Map<String, Object> result = new LinkedHashMap<>();
        map.forEach((k, v) -> result.put(String.valueOf(k), v));
        return result;
    }

    /**
     * YAML whose scalars all stay text, as written. SnakeYAML follows YAML 1.1, where an unquoted {@code 16:9} is
     * the base-60 number 969 and {@code no} is false: exactly the values a campaign's defaults contain.
     */
    private static Yaml plainYaml() {
        LoaderOptions options = new LoaderOptions();
        DumperOptions dumper = new DumperOptions();
        Resolver textOnly = new Resolver() {
            @Override
            protected void addImplicitResolvers() {
                addImplicitResolver(Tag.NULL, Pattern.compile("^(?:~|null|Null|NULL| )$"), "~nN\0");
                addImplicitResolver(Tag.NULL, Pattern.compile("^$"), null);
            }
        };
        return new Yaml(new SafeConstructor(options), new Representer(dumper), dumper, options, textOnly);
    }

    /** Whether the line (0-based) or the one before it gives a template: YAML reads {@code {product} ...} as a mapping. */
    private static boolean templateLine(Path jobFile, int line) {
        try {
            List<String> lines = Files.readAllLines(jobFile, StandardCharsets.UTF_8);
            for (int i = Math.max(0, line - 1); i <= line && i < lines.size(); i++) {
                if (lines.get(i).contains("template:")) {
                    return true;
                }
            }
        } catch (IOException | RuntimeException e) {
            // only a hint
        }
        return false;
    }

    private static Map<String, Object> readYaml(Path jobFile) {
        try (Reader reader = Files.newBufferedReader(jobFile, StandardCharsets.UTF_8)) {
            Object root = plainYaml().load(reader);
            if (root == null) {
                throw new CampaignFileException(jobFile, "is empty: it needs at least 'input: <campaign.csv>'");
            }
            return asMap(jobFile, "the job file", root);
        } catch (NoSuchFileException e) {
            throw new CampaignFileException(jobFile, "no such file");
        } catch (MarkedYAMLException e) {
            throw new CampaignFileException(jobFile, e.getProblemMark().getLine() + 1, "is not valid YAML: " + e.getProblem()
                    + (templateLine(jobFile, e.getProblemMark().getLine()) ? " (quote a template that starts with a brace: "
                    + "prompt-template: \"{product} on a beach\")" : ""));
        } catch (YAMLException | IOException e) {
            throw new CampaignFileException(jobFile, "cannot be read: " + e.getMessage());
        }
    }
}
