package io.klingbatch.request;

import static org.assertj.core.api.Assertions.assertThat;

import io.klingbatch.campaign.Columns;
import io.klingbatch.campaign.PromptRow;
import io.klingbatch.campaign.PromptTemplate;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RequestValidatorTest {

    static final String SEED_PROMPT = "A beloved community figure moves through a 1920s street carnival, warmly interacting "
            + "with attendees. Vintage cars, dancing performers, and striped carnival tents fill the scene. Camera follows "
            + "closely in a handheld cinematic style, capturing intimate smiles and connections, shallow depth of field, "
            + "4K UHD, golden warm lighting.";

    private static final RequestProperties PRO_ONLY = new RequestProperties(List.of("pro"));

    @TempDir
    Path folder;

    private RequestValidator validator() {
        return validator(Map.of());
    }

    private RequestValidator validator(Map<String, String> defaults) {
        return new RequestValidator(PRO_ONLY, defaults, folder);
    }

    /** A row with a valid prompt and the given cells on top (pairs of column, value). */
    private static PromptRow row(String... columnsAndValues) {
        Map<String, String> cells = new HashMap<>();
        cells.put(Columns.PROMPT, "a cat on a skateboard");
        for (int i = 0; i < columnsAndValues.length; i += 2) {
            cells.put(columnsAndValues[i], columnsAndValues[i + 1]);
        }
        return new PromptRow(1, 2, "cat-1", Map.copyOf(cells), 0, null);
    }

    private static PromptRow rowWithId(String id) {
        return new PromptRow(1, 2, id, Map.of(Columns.PROMPT, "a cat"), 0, null);
    }

    private VideoRequest accepted(PromptRow row) {
        return accepted(validator(), row);
    }

    private static VideoRequest accepted(RequestValidator validator, PromptRow row) {
        CheckedRow checked = validator.check(row);
        assertThat(checked).isInstanceOf(CheckedRow.Accepted.class);
        return ((CheckedRow.Accepted) checked).request();
    }

    private List<FieldError> errors(PromptRow row) {
        return errors(validator(), row);
    }

    private static List<FieldError> errors(RequestValidator validator, PromptRow row) {
        CheckedRow checked = validator.check(row);
        assertThat(checked).isInstanceOf(CheckedRow.Rejected.class);
        return ((CheckedRow.Rejected) checked).errors();
    }

    @Test
    void seedRowWithOnlyAPromptGetsTheApiDefaults() {
        PromptRow seed = new PromptRow(1, 2, "row-1", Map.of(Columns.PROMPT, SEED_PROMPT), 0, null);

        VideoRequest request = accepted(seed);

        assertThat(request).isEqualTo(new VideoRequest(SEED_PROMPT, "no dark tones, no blur, no distort",
                new BigDecimal("0.7"), "10", "pro", "16:9", null));
    }

    @Test
    void promptIsStripped() {
        assertThat(accepted(row(Columns.PROMPT, "  a cat \n")).prompt()).isEqualTo("a cat");
    }

    @Test
    void blankPromptIsRejected() {
        assertThat(errors(row(Columns.PROMPT, "   "))).singleElement().satisfies(error -> {
            assertThat(error.field()).isEqualTo("prompt");
            assertThat(error.message()).contains("is empty");
        });
    }

    @Test
    void missingPromptCellIsRejected() {
        PromptRow noPrompt = new PromptRow(1, 2, "a", Map.of(), 0, null);

        assertThat(errors(noPrompt)).extracting(FieldError::field).containsExactly("prompt");
    }

    @Test
    void promptOver2500CharactersIsRejected() {
        assertThat(errors(row(Columns.PROMPT, "x".repeat(2501)))).singleElement().satisfies(error -> {
            assertThat(error.field()).isEqualTo("prompt");
            assertThat(error.message()).contains("has 2501 characters").contains("limit is 2500");
        });
    }

    @Test
    void promptOfExactly2500CharactersIsAccepted() {
        assertThat(accepted(row(Columns.PROMPT, "x".repeat(2500))).prompt()).hasSize(2500);
    }

    @Test
    void promptLengthCountsCodePointsNotUtf16Units() {
        String emoji = "\uD83C\uDFA5"; // one code point, two chars
        String prompt = emoji.repeat(2500);

        assertThat(prompt).hasSize(5000);
        assertThat(accepted(row(Columns.PROMPT, prompt)).prompt()).isEqualTo(prompt);
        assertThat(errors(row(Columns.PROMPT, prompt + emoji))).singleElement()
                .satisfies(error -> assertThat(error.message()).contains("has 2501 characters"));
    }

    @Test
    void negativePromptOver2500CharactersIsRejected() {
        assertThat(errors(row(Columns.NEGATIVE_PROMPT, "n".repeat(2501)))).singleElement().satisfies(error -> {
            assertThat(error.field()).isEqualTo("negative_prompt");
            assertThat(error.message()).contains("has 2501 characters");
        });
    }

    @Test
    void cfgScaleThatIsNotANumberIsRejected() {
        assertThat(errors(row(Columns.CFG_SCALE, "high"))).singleElement().satisfies(error -> {
            assertThat(error.field()).isEqualTo("cfg_scale");
            assertThat(error.message()).contains("must be a number from 0 to 1").contains("'high'");
        });
    }

    @Test
    void cfgScaleBelowZeroIsRejected() {
        assertThat(errors(row(Columns.CFG_SCALE, "-0.1"))).singleElement().satisfies(error -> {
            assertThat(error.field()).isEqualTo("cfg_scale");
            assertThat(error.message()).contains("'-0.1'");
        });
    }

    @Test
    void cfgScaleAboveOneIsRejected() {
        assertThat(errors(row(Columns.CFG_SCALE, "1.01"))).singleElement().satisfies(error -> {
            assertThat(error.field()).isEqualTo("cfg_scale");
            assertThat(error.message()).contains("'1.01'");
        });
    }

    @Test
    void cfgScaleBoundariesAreAccepted() {
        assertThat(accepted(row(Columns.CFG_SCALE, "0")).cfgScale()).isEqualByComparingTo("0");
        assertThat(accepted(row(Columns.CFG_SCALE, "1")).cfgScale()).isEqualByComparingTo("1");
        assertThat(accepted(row(Columns.CFG_SCALE, " 0.25 ")).cfgScale()).isEqualByComparingTo("0.25");
    }

    @Test
    void durationMustBe5Or10() {
        assertThat(accepted(row(Columns.DURATION, "5")).duration()).isEqualTo("5");
        assertThat(errors(row(Columns.DURATION, "7"))).singleElement().satisfies(error -> {
            assertThat(error.field()).isEqualTo("duration");
            assertThat(error.message()).contains("must be one of 5, 10").contains("'7'");
        });
    }

    @Test
    void modeMustBeAnAllowedMode() {
        assertThat(errors(row(Columns.MODE, "std"))).singleElement().satisfies(error -> {
            assertThat(error.field()).isEqualTo("mode");
            assertThat(error.message()).contains("must be one of pro").contains("'std'");
        });
    }

    @Test
    void allowedModesComeFromTheProperties() {
        RequestValidator both = new RequestValidator(new RequestProperties(List.of("pro", "std")), Map.of(), folder);

        assertThat(accepted(both, row(Columns.MODE, "std")).mode()).isEqualTo("std");
    }

    @Test
    void aspectRatioMustBeOneOfTheThree() {
        assertThat(accepted(row(Columns.ASPECT_RATIO, "9:16")).aspectRatio()).isEqualTo("9:16");
        assertThat(accepted(row(Columns.ASPECT_RATIO, "1:1")).aspectRatio()).isEqualTo("1:1");
        assertThat(errors(row(Columns.ASPECT_RATIO, "4:3"))).singleElement().satisfies(error -> {
            assertThat(error.field()).isEqualTo("aspect_ratio");
            assertThat(error.message()).contains("must be one of 16:9, 1:1, 9:16").contains("'4:3'");
        });
    }

    @Test
    void idWithASlashIsRejected() {
        assertThat(errors(rowWithId("a/b"))).singleElement().satisfies(error -> {
            assertThat(error.field()).isEqualTo("id");
            assertThat(error.message()).contains("'a/b' is not safe as a file name");
        });
    }

    @Test
    void idWithParentFolderIsRejected() {
        assertThat(errors(rowWithId("../x"))).extracting(FieldError::field).containsExactly("id");
    }

    @Test
    void idStartingWithADotIsRejected() {
        assertThat(errors(rowWithId(".hidden"))).extracting(FieldError::field).containsExactly("id");
    }

    @Test
    void idOf100CharactersIsAcceptedAnd101IsRejected() {
        assertThat(validator().check(rowWithId("a".repeat(100)))).isInstanceOf(CheckedRow.Accepted.class);
        assertThat(errors(rowWithId("a".repeat(101)))).singleElement()
                .satisfies(error -> assertThat(error.message()).contains("at most 100 characters"));
    }

    @Test
    void duplicateIdNamesTheFirstRow() {
        PromptRow duplicate = new PromptRow(5, 6, "Cat", Map.of(Columns.PROMPT, "a cat"), 2, null);

        assertThat(errors(duplicate)).singleElement().satisfies(error -> {
            assertThat(error.field()).isEqualTo("id");
            assertThat(error.message()).isEqualTo("'Cat' is already used by row 2");
        });
    }

    @Test
    void shapeErrorIsReportedOnFieldRow() {
        PromptRow wide = new PromptRow(1, 2, "a", Map.of(Columns.PROMPT, "a cat"), 0, "the row has 3 cells but the header has 2");

        assertThat(errors(wide)).singleElement().satisfies(error -> {
            assertThat(error.field()).isEqualTo("row");
            assertThat(error.message()).isEqualTo("the row has 3 cells but the header has 2");
        });
    }

    @Test
    void reportsEveryErrorOfARowAtOnce() {
        PromptRow bad = new PromptRow(3, 4, "../x", Map.of(
                Columns.PROMPT, "",
                Columns.CFG_SCALE, "2",
                Columns.DURATION, "7",
                Columns.MODE, "turbo",
                Columns.ASPECT_RATIO, "4:3"), 1, "the row has 9 cells but the header has 6");

        CheckedRow checked = validator().check(bad);

        assertThat(checked).isInstanceOf(CheckedRow.Rejected.class);
        assertThat(((CheckedRow.Rejected) checked).errors()).extracting(FieldError::field)
                .containsExactly("row", "id", "id", "prompt", "cfg_scale", "duration", "mode", "aspect_ratio");
        assertThat(((CheckedRow.Rejected) checked).reason()).contains("duration: must be one of 5, 10 (got '7')");
    }

    @Test
    void jobFileDefaultsFillEmptyCells() {
        RequestValidator validator = validator(Map.of(
                Columns.NEGATIVE_PROMPT, "no text",
                Columns.CFG_SCALE, "0.5",
                Columns.DURATION, "5",
                Columns.ASPECT_RATIO, "9:16"));

        VideoRequest request = accepted(validator, row(Columns.DURATION, "  "));

        assertThat(request.negativePrompt()).isEqualTo("no text");
        assertThat(request.cfgScale()).isEqualByComparingTo("0.5");
        assertThat(request.duration()).isEqualTo("5");
        assertThat(request.aspectRatio()).isEqualTo("9:16");
        assertThat(request.mode()).isEqualTo("pro");
    }

    @Test
    void cellWinsOverJobFileDefault() {
        RequestValidator validator = validator(Map.of(Columns.DURATION, "5", Columns.CFG_SCALE, "0.5"));

        VideoRequest request = accepted(validator, row(Columns.DURATION, "10", Columns.CFG_SCALE, "0.9"));

        assertThat(request.duration()).isEqualTo("10");
        assertThat(request.cfgScale()).isEqualByComparingTo("0.9");
    }

    @Test
    void checkDefaultsIsEmptyForGoodDefaults() {
        assertThat(validator(Map.of(Columns.DURATION, "5", Columns.MODE, "pro")).checkDefaults()).isEmpty();
    }

    @Test
    void checkDefaultsReportsABadDefault() {
        List<FieldError> errors = validator(Map.of(Columns.DURATION, "7")).checkDefaults();

        assertThat(errors).singleElement().satisfies(error -> {
            assertThat(error.field()).isEqualTo("duration");
            assertThat(error.message()).contains("(got '7')");
        });
    }

    @Test
    void badDefaultRejectsARowThatReliesOnIt() {
        RequestValidator validator = validator(Map.of(Columns.CFG_SCALE, "3"));

        assertThat(errors(validator, row())).extracting(FieldError::field).containsExactly("cfg_scale");
        assertThat(accepted(validator, row(Columns.CFG_SCALE, "0.3")).cfgScale()).isEqualByComparingTo("0.3");
    }

    private RequestValidator templated(String prompt, String negative, Map<String, String> defaults) {
        return new RequestValidator(PRO_ONLY, defaults, folder, prompt == null ? null : PromptTemplate.parse("prompt-template", prompt),
                negative == null ? null : PromptTemplate.parse("negative-prompt-template", negative));
    }

    private static PromptRow cells(String... columnsAndValues) {
        Map<String, String> cells = new HashMap<>();
        for (int i = 0; i < columnsAndValues.length; i += 2) {
            cells.put(columnsAndValues[i], columnsAndValues[i + 1]);
        }
        return new PromptRow(4, 5, "shoe-1", Map.copyOf(cells), 0, null);
    }

    @Test
    void aPromptTemplateIsFilledFromTheRowsCellsAndIsWhatIsSent() {
        RequestValidator validator = templated("A {Colour} {product} on a beach, {{4K}}", null, Map.of());

        VideoRequest request = accepted(validator, cells("colour", " red ", "product", "sneaker", Columns.PROMPT, "ignored"));

        assertThat(request.prompt()).isEqualTo("A red sneaker on a beach, {4K}");
        assertThat(request.fingerprint()).isEqualTo(accepted(row(Columns.PROMPT, "A red sneaker on a beach, {4K}")).fingerprint());
        assertThat(request.fingerprint()).isNotEqualTo(accepted(validator, cells("colour", "blue", "product", "sneaker")).fingerprint());
    }

    @Test
    void aTemplateMayUseThePromptColumnItself() {
        VideoRequest request = accepted(templated("{prompt}, cinematic, golden light", null, Map.of()), row(Columns.PROMPT, "a cat"));

        assertThat(request.prompt()).isEqualTo("a cat, cinematic, golden light");
    }

    @Test
    void anEmptyCellForAPlaceholderRejectsTheRowNamingThePlaceholder() {
        RequestValidator validator = templated("A {Colour} {product}", null, Map.of());

        assertThat(errors(validator, cells("colour", "  ", "product", "sneaker"))).singleElement().satisfies(error -> {
            assertThat(error.field()).isEqualTo("colour");
            assertThat(error.message()).isEqualTo("is empty, but prompt-template needs it for {Colour}");
        });
        assertThat(errors(validator, cells("colour", "", "product", "", Columns.DURATION, "7"))).extracting(FieldError::toString)
                .containsExactly("colour: is empty, but prompt-template needs it for {Colour}",
                        "product: is empty, but prompt-template needs it for {product}",
                        "duration: must be one of 5, 10 (got '7')");
    }

    @Test
    void aFilledPromptOverTheLimitIsRejected() {
        RequestValidator validator = templated("{product}, {details}", null, Map.of());

        assertThat(errors(validator, cells("product", "shoe", "details", "x".repeat(2495)))).singleElement().satisfies(error -> {
            assertThat(error.field()).isEqualTo("prompt");
            assertThat(error.message()).isEqualTo("has 2501 characters once prompt-template is filled; the limit is 2500");
        });
        assertThat(accepted(validator, cells("product", "shoe", "details", "x".repeat(2494))).prompt()).hasSize(2500);
    }

    @Test
    void aNegativePromptTemplateIsFilledAndChecked() {
        RequestValidator validator = templated(null, "no {weather}, no text", Map.of());

        assertThat(accepted(validator, row("weather", "rain")).negativePrompt()).isEqualTo("no rain, no text");
        assertThat(errors(validator, row("weather", ""))).extracting(FieldError::toString)
                .containsExactly("weather: is empty, but negative-prompt-template needs it for {weather}");
        assertThat(errors(validator, row("weather", "r".repeat(2500)))).extracting(FieldError::field).containsExactly("negative_prompt");
    }

    /** A placeholder of a column the job file gives a default takes it for an empty cell, as the request itself does. */
    @Test
    void aJobFileDefaultFillsAnEmptyPlaceholderOfItsColumn() {
        RequestValidator validator = templated("a {duration}-second clip of {product}", null, Map.of(Columns.DURATION, "5"));

        VideoRequest request = accepted(validator, cells("product", "shoe", Columns.DURATION, ""));

        assertThat(request.prompt()).isEqualTo("a 5-second clip of shoe");
        assertThat(request.duration()).isEqualTo("5");
    }

    @Test
    void templatesDoNotTakePartInCheckingTheDefaults() {
        assertThat(templated("a {product}", "no {weather}", Map.of(Columns.DURATION, "5")).checkDefaults()).isEmpty();
    }
}
