package io.klingbatch.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.klingbatch.campaign.Campaign;
import io.klingbatch.campaign.ClientOptions;
import io.klingbatch.campaign.PromptRow;
import io.klingbatch.campaign.RunOptions;
import io.klingbatch.ledger.LedgerEntry;
import io.klingbatch.ledger.LedgerState;
import io.klingbatch.ledger.Spend;
import io.klingbatch.ledger.VideoKey;
import io.klingbatch.output.CampaignSummary;
import io.klingbatch.output.ManifestLine;
import io.klingbatch.output.Placement;
import io.klingbatch.output.VideoStatus;
import io.klingbatch.request.CheckedRow;
import io.klingbatch.request.FieldError;
import io.klingbatch.request.VideoRequest;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What report.html holds, from manifest lines made by hand: escaping, relative sources, groups, reasons, totals. */
class HtmlReportTest {

    private static final Instant MADE = Instant.parse("2026-03-14T09:26:53Z");
    private static final Campaign CAMPAIGN = new Campaign("spring-launch", Path.of("/data/spring-launch.csv"), Path.of("/data/spring-launch.csv"),
            Path.of("/data/out/spring-launch"), Map.of(), ClientOptions.NONE, RunOptions.NONE, false);

    private final List<ManifestLine> lines = new ArrayList<>();

    @Test
    void aPromptHoldingMarkupIsShownAsTextNeverAsMarkup() {
        generated(1, "hostile", "<script>alert('pwned')</script><img src=x onerror=alert(1)>", "hostile.mp4", "16:9", 1, Placement.Kind.IN_PLACE);
        rejected(2, "bad-cfg", "<b>bold</b> harbour", new FieldError("cfg_scale", "must be a number from 0 to 1 (got '<script>x()</script>')"));

        String html = render();

        assertThat(html).contains("&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;",
                "&lt;b&gt;bold&lt;/b&gt; harbour", "(got &#39;&lt;script&gt;x()&lt;/script&gt;&#39;)");
        assertThat(html).doesNotContain("<script>alert", "<img", "<b>bold", "<script>x()");
        assertThat(Pattern.compile("<script").matcher(html).results().count()).as("only the filter's own script").isEqualTo(1);
    }

    @Test
    void templateExpressionsInACellAreNotEvaluated() {
        generated(1, "curly", "[[${1+1}]] and [(${7*7})] and ${T(java.lang.Runtime)}", "curly.mp4", "16:9", 1, Placement.Kind.IN_PLACE);

        String html = render();

        assertThat(html).contains("[[${1+1}]] and [(${7*7})] and ${T(java.lang.Runtime)}").doesNotContain(">2 and", "49");
    }

    @Test
    void videoSourcesAreRelativeAndPercentEncoded() {
        assertThat(ReportPages.relativeSource("carnival.mp4")).isEqualTo("carnival.mp4");
        assertThat(ReportPages.relativeSource("row 1#x?.mp4")).isEqualTo("row%201%23x%3F.mp4");
        assertThat(ReportPages.relativeSource("c:evil.mp4")).isEqualTo("c%3Aevil.mp4");
        assertThat(ReportPages.relativeSource("\"><script>.mp4")).isEqualTo("%22%3E%3Cscript%3E.mp4");
        assertThat(ReportPages.relativeSource("café.mp4")).isEqualTo("caf%C3%A9.mp4");
        assertThat(ReportPages.relativeSource("takes/a.take2.mp4")).isEqualTo("takes/a.take2.mp4");
        assertThat(ReportPages.relativeSource("/etc/passwd")).isNull();
        assertThat(ReportPages.relativeSource("../other/a.mp4")).isNull();
        assertThat(ReportPages.relativeSource(null)).isNull();

        generated(1, "carnival", "a carnival", "carnival.mp4", "16:9", 1, Placement.Kind.IN_PLACE);
        generated(2, "shore", "a shore", "shore.mp4", "9:16", 1, Placement.Kind.COPIED);
        generated(3, "odd", "an odd name", "odd #1?\".mp4", "1:1", 1, Placement.Kind.IN_PLACE);
        String html = render();

        assertThat(html).contains("<video controls preload=\"metadata\" src=\"carnival.mp4\"></video>",
                "<video controls preload=\"metadata\" src=\"shore.mp4\"></video>");
        assertThat(sources(html)).containsExactly("carnival.mp4", "shore.mp4", "odd%20%231%3F%22.mp4");
    }

    @Test
    void videosOfTheSameRowAreGroupedTogetherInCsvOrder() {
        generated(1, "hero", "hero shot", "hero.mp4", "16:9", 1, Placement.Kind.IN_PLACE);
        generated(2, "other", "other shot", "other.mp4", "16:9", 1, Placement.Kind.IN_PLACE);
        generated(1, "hero", "hero shot", "hero.9x16.take2.mp4", "9:16", 2, Placement.Kind.IN_PLACE);

        ReportPage page = page();
        assertThat(page.groups()).extracting(ReportPage.Group::id).containsExactly("hero", "other");
        assertThat(page.groups().get(0).tiles()).extracting(ReportPage.Tile::src).containsExactly("hero.mp4", "hero.9x16.take2.mp4");
        assertThat(page.groups().get(0).tiles()).extracting(ReportPage.Tile::label).containsExactly("16:9", "9:16 · take 2");

        String html = new HtmlReport().render(page);
        String hero = article(html, "hero");
        assertThat(sources(hero)).containsExactly("hero.mp4", "hero.9x16.take2.mp4");
        assertThat(hero).contains("class=\"group several\"");
        assertThat(sources(article(html, "other"))).containsExactly("other.mp4");
        assertThat(sources(html)).containsExactly("hero.mp4", "hero.9x16.take2.mp4", "other.mp4");
    }

    @Test
    void eachTileSaysWhatWasAskedWhatItCostAndWhenItWasMade() {
        generated(1, "carnival", "a 1920s street carnival", "carnival.mp4", "16:9", 1, Placement.Kind.IN_PLACE);

        String hero = article(render(), "carnival");

        assertThat(hero).contains(">carnival<", "a 1920s street carnival", "<dt>duration</dt><dd>5 s</dd>", "<dt>mode</dt><dd>pro</dd>",
                "<dt>aspect ratio</dt><dd>16:9</dd>", "<dt>cfg scale</dt><dd>0.7</dd>", "<dd>0.44 credits</dd>",
                "<time datetime=\"2026-03-14T09:26:53Z\">2026-03-14 09:26:53 Z</time>", "<dd>2.7 KB</dd>", "data-status=\"GENERATED\"");
    }

    @Test
    void rowsWithoutAVideoAreListedWithTheirReasonAndWhatToDo() {
        generated(1, "fine", "fine", "fine.mp4", "16:9", 1, Placement.Kind.IN_PLACE);
        rejected(2, "too-creative", "fireworks", new FieldError("cfg_scale", "must be a number from 0 to 1 (got '1.5')"),
                new FieldError("duration", "must be one of 5, 10 (got '7')"));
        other(3, "broken", VideoStatus.FAILED, LedgerState.FAILED, "HTTP 400: prompt violates the content policy");
        other(4, "lost", VideoStatus.UNCERTAIN, LedgerState.UNCERTAIN, "the connection broke after the request was sent");
        other(5, "later", VideoStatus.PENDING, null, null);

        ReportPage page = page();
        assertThat(page.problems()).extracting(ReportPage.Problem::id, ReportPage.Problem::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("too-creative", "REJECTED"), org.assertj.core.groups.Tuple.tuple("broken", "FAILED"),
                        org.assertj.core.groups.Tuple.tuple("lost", "UNCERTAIN"), org.assertj.core.groups.Tuple.tuple("later", "PENDING"));
        assertThat(page.problems().get(0).reason()).isEqualTo("cfg_scale: must be a number from 0 to 1 (got '1.5'); duration: must be one of 5, 10 (got '7')");
        assertThat(page.problems().get(0).todo()).contains("Fix cfg_scale, duration (line 3 of the CSV)", "Never sent");
        assertThat(page.problems().get(1).todo()).contains("Nothing was charged", "Run the same command");
        assertThat(page.problems().get(2).todo()).contains("--resend-uncertain", "dashboard");
        assertThat(page.problems().get(3).reason()).isEqualTo("not made yet");

        String html = new HtmlReport().render(page);
        assertThat(row(html, "too-creative")).contains("data-status=\"REJECTED\"", "cfg_scale: must be a number from 0 to 1 (got &#39;1.5&#39;)",
                "Fix cfg_scale, duration", "fireworks");
        assertThat(row(html, "broken")).contains("HTTP 400: prompt violates the content policy", "Nothing was charged");
        assertThat(row(html, "lost")).contains("the connection broke after the request was sent", "--resend-uncertain");
        assertThat(row(html, "later")).contains("data-status=\"PENDING\"", "Run the same command to make it.");
        assertThat(sources(html)).containsExactly("fine.mp4");
    }

    @Test
    void aVideoOnAnotherMachineOrMissingSaysSoInsteadOfABrokenPlayer() {
        generated(1, "far", "far away", "render-02:/srv/kling/out/far.mp4", "16:9", 1, Placement.Kind.ELSEWHERE);
        generated(2, "gone", "gone", "gone.mp4", "16:9", 1, Placement.Kind.MISSING);
        generated(3, "here", "here", "here.mp4", "16:9", 1, Placement.Kind.IN_PLACE);

        String html = render();

        assertThat(article(html, "far")).doesNotContain("<video").contains("render-02:/srv/kling/out/far.mp4", "not paid again");
        assertThat(article(html, "gone")).doesNotContain("<video").contains("missing from the output folder", "restore it from a backup");
        assertThat(sources(html)).containsExactly("here.mp4");
    }

    @Test
    void totalsAndCreditsAreAtTheTop() {
        generated(1, "a", "a", "a.mp4", "16:9", 1, Placement.Kind.IN_PLACE);
        rejected(2, "b", "b", new FieldError("prompt", "is empty"));
        Map<VideoStatus, Integer> counts = counts(Map.of(VideoStatus.GENERATED, 1, VideoStatus.REJECTED, 1));
        CampaignSummary summary = new CampaignSummary(2, counts, new Spend(new BigDecimal("1.32"), 3, 1, new BigDecimal("0.88"), 1),
                new BigDecimal("18.68"), List.of("notes"), List.of(), List.of(), List.of(), 0, 0, 2);

        String html = new HtmlReport().render(ReportPages.build(CAMPAIGN, "https://api.segmind.com", summary, lines, MADE, ZoneOffset.UTC));

        String top = html.substring(0, html.indexOf("id=\"gallery\""));
        assertThat(top).contains("<b>2</b><span>rows</span>", "data-total=\"GENERATED\"", "data-total=\"REJECTED\"",
                "<dt>spent</dt><dd>about 1.32 (3 videos)</dd>", "<dt>possibly charged</dt><dd>up to 0.88 more (1 uncertain)</dd>",
                "18.68 left", "Columns ignored: notes.", "https://api.segmind.com", "/data/out/spring-launch");
        assertThat(Pattern.compile("data-total=\"GENERATED\">\\s*<b>1</b>").matcher(top).find()).isTrue();
        assertThat(Pattern.compile("data-total=\"REJECTED\">\\s*<b>1</b>").matcher(top).find()).isTrue();
        assertThat(top).contains("data-filter=\"GENERATED\"", "data-filter=\"REJECTED\"", "data-filter=\"FAILED\"",
                "data-filter=\"UNCERTAIN\"", "data-filter=\"PENDING\"");
    }

    @Test
    void selfContainedWithAPolicyThatAllowsOnlyItsOwnStyleAndScript() throws Exception {
        generated(1, "a", "a", "a.mp4", "16:9", 1, Placement.Kind.IN_PLACE);

        String html = render();

        assertThat(html).doesNotContain("<link", "src=\"http", "href=\"http", "url(", "@import", "//cdn");
        Matcher policy = Pattern.compile("http-equiv=\"Content-Security-Policy\" content=\"([^\"]+)\"").matcher(html);
        assertThat(policy.find()).isTrue();
        String csp = policy.group(1).replace("&#39;", "'");
        assertThat(csp).startsWith("default-src 'none'; media-src 'self'");
        String script = between(html, "<script>", "</script>");
        String style = between(html, "<style>", "</style>");
        assertThat(csp).contains("script-src " + hash(script) + ";", "style-src " + hash(style) + ";");
    }

    // --- fixtures: manifest lines as CampaignReporter gives them

    private String render() {
        return new HtmlReport().render(page());
    }

    private ReportPage page() {
        Map<VideoStatus, Integer> counts = new EnumMap<>(VideoStatus.class);
        lines.forEach(line -> counts.merge(line.status(), 1, Integer::sum));
        CampaignSummary summary = new CampaignSummary(lines.size(), counts(counts), new Spend(new BigDecimal("0.44"), 1, 0, BigDecimal.ZERO, 0),
                null, List.of(), List.of(), List.of(), List.of(), 0, 0, lines.size());
        return ReportPages.build(CAMPAIGN, "simulator", summary, lines, MADE, ZoneOffset.UTC);
    }

    private static Map<VideoStatus, Integer> counts(Map<VideoStatus, Integer> some) {
        Map<VideoStatus, Integer> counts = new EnumMap<>(VideoStatus.class);
        for (VideoStatus status : VideoStatus.values()) {
            counts.put(status, some.getOrDefault(status, 0));
        }
        return counts;
    }

    private static PromptRow row(int row, String id, String prompt) {
        Map<String, String> cells = new LinkedHashMap<>();
        cells.put("id", id);
        cells.put("prompt", prompt);
        return new PromptRow(row, row + 1, id, cells, 0, null);
    }

    private static VideoRequest request(String prompt, String aspect) {
        return new VideoRequest(prompt, "no dark tones, no blur, no distort", new BigDecimal("0.7"), "5", "pro", aspect, null);
    }

    private static LedgerEntry video(String id, String prompt, int take, LedgerState state, String error) {
        return new LedgerEntry(new VideoKey("simulator", io.klingbatch.Sha256.of(prompt), take), state, 1, "5", "pro", new BigDecimal("0.44"),
                state == LedgerState.PAID ? new BigDecimal("0.44") : null, null, "req-" + id, null, null, null, error, id + ".mp4",
                "/data/out/spring-launch/" + id + ".mp4", "render-01", 2762L, "ab".repeat(32), "spring-launch", id, 1L, null,
                MADE.minusSeconds(120), MADE);
    }

    private void generated(int row, String id, String prompt, String file, String format, int take, Placement.Kind placement) {
        VideoRequest request = request(prompt, format);
        lines.add(new ManifestLine(id, row, VideoStatus.GENERATED, file, 2762L, "ab".repeat(32), 1, new BigDecimal("0.44"), new BigDecimal("19.56"),
                "req-" + id, placement == Placement.Kind.MISSING ? "the file is missing from the output folder; it was paid for, so it is not made "
                + "again: restore it from a backup" : null, format, take, null, new CheckedRow.Accepted(row(row, id, prompt), request),
                video(id, prompt, take, LedgerState.PAID, null), false, placement));
    }

    private void rejected(int row, String id, String prompt, FieldError... errors) {
        CheckedRow.Rejected rejected = new CheckedRow.Rejected(row(row, id, prompt), List.of(errors));
        lines.add(new ManifestLine(id, row, VideoStatus.REJECTED, null, null, null, 0, null, null, null, rejected.reason(), null, 0, null,
                rejected, null, false, null));
    }

    private void other(int row, String id, VideoStatus status, LedgerState state, String error) {
        lines.add(new ManifestLine(id, row, status, null, null, null, 1, null, null, null, error, "16:9", 1, null,
                new CheckedRow.Accepted(row(row, id, id + " prompt"), request(id + " prompt", "16:9")),
                state == null ? null : video(id, id + " prompt", 1, state, error), status != VideoStatus.UNCERTAIN, null));
    }

    /** The gallery article of one row. */
    private static String article(String html, String id) {
        int start = html.indexOf("data-id=\"" + id + "\"");
        assertThat(start).as("an article for " + id).isPositive();
        return html.substring(html.lastIndexOf("<article", start), html.indexOf("</article>", start));
    }

    /** The table row of one row. */
    private static String row(String html, String id) {
        int start = html.indexOf("<tr data-status=\"", html.indexOf("id=\"problems\""));
        int at = html.indexOf("data-id=\"" + id + "\"", start);
        assertThat(at).as("a table row for " + id).isPositive();
        return html.substring(html.lastIndexOf("<tr", at), html.indexOf("</tr>", at));
    }

    private static List<String> sources(String html) {
        return Pattern.compile("<video[^>]* src=\"([^\"]*)\"").matcher(html).results().map(m -> m.group(1)).toList();
    }

    private static String between(String html, String open, String close) {
        int start = html.indexOf(open) + open.length();
        return html.substring(start, html.indexOf(close, start));
    }

    private static String hash(String text) throws Exception {
        return "'sha256-" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8))) + "'";
    }
}
