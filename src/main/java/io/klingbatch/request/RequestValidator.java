package io.klingbatch.request;

import io.klingbatch.campaign.Columns;
import io.klingbatch.campaign.PromptRow;
import io.klingbatch.campaign.PromptTemplate;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns a {@link PromptRow} into a {@link VideoRequest} or a list of {@link FieldError}s, each naming its field.
 *
 * <p>An empty cell takes the job file's default if it sets one, else the API's. Every check runs, so a row
 * with three problems says all three at once instead of one per run. No network, no API: {@code validate},
 * the step and the manifest all use this one class, so they can never disagree about a row.
 *
 * <p>With a job file's {@code prompt-template} (or {@code negative-prompt-template}) the prompt is the template filled
 * from the row's cells, here, so what {@code validate} shows, what is sent and what the request's fingerprint covers
 * are the same text; an empty cell a placeholder needs rejects the row, naming the placeholder.
 */
public final class RequestValidator {

    private final List<String> allowedModes;
    private final Map<String, String> defaults;
    private final ImageChecker images;
    private final PromptTemplate promptTemplate;
    private final PromptTemplate negativeTemplate;

    public RequestValidator(RequestProperties properties, Map<String, String> defaults, Path csvFolder) {
        this(properties, defaults, csvFolder, null, null);
    }

    /** @param promptTemplate the job file's {@code prompt-template} or null; likewise {@code negativeTemplate} */
    public RequestValidator(RequestProperties properties, Map<String, String> defaults, Path csvFolder, PromptTemplate promptTemplate,
                            PromptTemplate negativeTemplate) {
        this.promptTemplate = promptTemplate;
        this.negativeTemplate = negativeTemplate;
        this.allowedModes = List.copyOf(properties.allowedModes());
        Map<String, String> usable = new java.util.HashMap<>();
        defaults.forEach((column, value) -> {
            if (value != null && !value.isBlank()) {
                usable.put(column, value.strip());
            }
        });
        this.defaults = Map.copyOf(usable);
        this.images = new ImageChecker(csvFolder);
    }

    /** Checks the job file's defaults on their own, so a bad default is one error, not one per row. */
    public List<FieldError> checkDefaults() {
        List<FieldError> errors = new ArrayList<>();
        PromptRow probe = new PromptRow(0, 0, "defaults", Map.of(Columns.PROMPT, "probe"), 0, null);
        check(probe, errors, false);
        return errors;
    }

    public CheckedRow check(PromptRow row) {
        List<FieldError> errors = new ArrayList<>();
        if (row.shapeError() != null) {
            errors.add(new FieldError("row", row.shapeError()));
        }
        checkId(row, errors);
        VideoRequest request = check(row, errors, true);
        return errors.isEmpty() ? new CheckedRow.Accepted(row, request) : new CheckedRow.Rejected(row, List.copyOf(errors));
    }

    private static void checkId(PromptRow row, List<FieldError> errors) {
        if (!safeFileName(row.id())) {
            errors.add(new FieldError(Columns.ID, "'" + row.id() + "' is not safe as a file name "
                    + "(letters, digits, '.', '_' and '-', starting with a letter or digit, at most 100 characters)"));
        }
        if (row.duplicateOf() > 0) {
            errors.add(new FieldError(Columns.ID, "'" + row.id() + "' is already used by row " + row.duplicateOf()));
        }
    }

    /** Letters, digits, '.', '_' and '-', starting with a letter or digit, at most 100 characters (no regex: hot path). */
    static boolean safeFileName(String id) {
        if (id.isEmpty() || id.length() > 100 || !asciiLetterOrDigit(id.charAt(0))) {
            return false;
        }
        for (int i = 1; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!asciiLetterOrDigit(c) && c != '.' && c != '_' && c != '-') {
                return false;
            }
        }
        return true;
    }

    private static boolean asciiLetterOrDigit(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
    }

    /** @param templates whether to fill the job file's templates (not for the defaults on their own) */
    private VideoRequest check(PromptRow row, List<FieldError> errors, boolean templates) {
        String prompt;
        if (templates && promptTemplate != null) {
            prompt = filled(promptTemplate, Columns.PROMPT, row, errors);
        } else {
            prompt = row.cell(Columns.PROMPT).strip();
            if (prompt.isEmpty()) {
                errors.add(new FieldError(Columns.PROMPT, "is empty; every row needs a prompt"));
            } else {
                checkLength(Columns.PROMPT, prompt, "", errors);
            }
        }
        String negative;
        if (templates && negativeTemplate != null) {
            negative = filled(negativeTemplate, Columns.NEGATIVE_PROMPT, row, errors);
        } else {
            negative = value(row, Columns.NEGATIVE_PROMPT, ApiDefaults.NEGATIVE_PROMPT);
            checkLength(Columns.NEGATIVE_PROMPT, negative, "", errors);
        }
        BigDecimal cfgScale = cfgScale(value(row, Columns.CFG_SCALE, null), errors);
        String duration = oneOf(row, Columns.DURATION, ApiDefaults.DURATION, ApiDefaults.DURATIONS, errors);
        String mode = oneOf(row, Columns.MODE, ApiDefaults.MODE, allowedModes, errors);
        String aspectRatio = oneOf(row, Columns.ASPECT_RATIO, ApiDefaults.ASPECT_RATIO, ApiDefaults.ASPECT_RATIOS, errors);
        ImageInput image = null;
        String imageCell = value(row, Columns.IMAGE_URL, "");
        if (!imageCell.isEmpty()) {
            try {
                image = images.check(imageCell);
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError(Columns.IMAGE_URL, e.getMessage()));
            }
        }
        return errors.isEmpty() ? new VideoRequest(prompt, negative, cfgScale, duration, mode, aspectRatio, image) : null;
    }

    /**
     * The template filled from the row, stripped; null (with an error per empty placeholder) when a cell it needs is
     * empty. A placeholder of a column with a job file default takes the default for an empty cell, as the request does.
     */
    private String filled(PromptTemplate template, String field, PromptRow row, List<FieldError> errors) {
        String text = template.fill(column -> {
            String cell = row.cell(column).strip();
            return cell.isEmpty() ? defaults.getOrDefault(column, "") : cell;
        }, column -> errors.add(new FieldError(column, "is empty, but " + template.key() + " needs it for " + template.placeholder(column))));
        if (text == null) {
            return null;
        }
        String stripped = text.strip();
        if (stripped.isEmpty()) {
            errors.add(new FieldError(field, "is empty once " + template.key() + " is filled"));
        } else {
            checkLength(field, stripped, " once " + template.key() + " is filled", errors);
        }
        return stripped;
    }

    /** At most 2,500 characters, counted as code points (an emoji is one), counted only when it could matter. */
    private static void checkLength(String column, String text, String how, List<FieldError> errors) {
        if (text.length() > ApiDefaults.MAX_PROMPT_CHARACTERS) {
            int characters = text.codePointCount(0, text.length());
            if (characters > ApiDefaults.MAX_PROMPT_CHARACTERS) {
                errors.add(new FieldError(column, "has " + characters + " characters" + how + "; the limit is " + ApiDefaults.MAX_PROMPT_CHARACTERS));
            }
        }
    }

    /** The cell, else the job file's default, else the API's default (stripped). */
    private String value(PromptRow row, String column, String apiDefault) {
        String cell = row.cell(column);
        if (!cell.isEmpty()) {
            String stripped = cell.strip();
            if (!stripped.isEmpty()) {
                return stripped;
            }
        }
        String fallback = defaults.get(column);
        return fallback != null ? fallback : apiDefault;
    }

    private static BigDecimal cfgScale(String text, List<FieldError> errors) {
        if (text == null) {
            return ApiDefaults.CFG_SCALE;
        }
        try {
            BigDecimal value = new BigDecimal(text);
            if (value.signum() >= 0 && value.compareTo(BigDecimal.ONE) <= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below, with the same sentence as an out-of-range number
        }
        errors.add(new FieldError(Columns.CFG_SCALE, "must be a number from 0 to 1 (got '" + text + "')"));
        return null;
    }

    private String oneOf(PromptRow row, String column, String apiDefault, List<String> allowed, List<FieldError> errors) {
        String value = value(row, column, apiDefault);
        if (!allowed.contains(value)) {
            errors.add(new FieldError(column, "must be one of " + String.join(", ", allowed) + " (got '" + value + "')"));
        }
        return value;
    }
}
