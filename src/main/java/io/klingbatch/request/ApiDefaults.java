package io.klingbatch.request;

import java.math.BigDecimal;
import java.util.List;

/** The API's own defaults and limits for Kling 2.5 Turbo (see the Segmind fact sheet). */
final class ApiDefaults {

    static final String NEGATIVE_PROMPT = "no dark tones, no blur, no distort";
    static final BigDecimal CFG_SCALE = new BigDecimal("0.7");
    static final String DURATION = "10";
    static final String MODE = "pro";
    static final String ASPECT_RATIO = "16:9";

    static final List<String> DURATIONS = List.of("5", "10");
    static final List<String> ASPECT_RATIOS = List.of("16:9", "1:1", "9:16");
    static final int MAX_PROMPT_CHARACTERS = 2_500;
    static final long MAX_IMAGE_BYTES = 10L * 1024 * 1024;

    private ApiDefaults() {
    }
}
