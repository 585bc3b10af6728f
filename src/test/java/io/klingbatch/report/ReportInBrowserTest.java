package io.klingbatch.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.klingbatch.CampaignTestSupport;
import io.klingbatch.campaign.Campaign;
import io.klingbatch.campaign.CampaignLoader;
import io.klingbatch.generation.CampaignRun;
import io.klingbatch.segmind.SegmindConnector;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * report.html as a person sees it, in headless Chromium opened from disk: every video of the demo loads (its metadata,
 * so it plays), the status filter hides and shows tiles and rows, and a {@code <script>} in a cell is text that never
 * runs. With {@code -Dreport.screenshot=docs/report.png} it also writes the README's screenshot of the demo's report.
 */
class ReportInBrowserTest extends CampaignTestSupport {

    private static final List<String> DEMO_VIDEOS = List.of("carnival", "sneaker-vertical", "coffee-square", "product-spin", "launch-teaser");

    private static Chromium chromium;

    @Autowired
    SegmindConnector connector;

    @BeforeAll
    static void startChromium() {
        chromium = Chromium.start();
    }

    @AfterAll
    static void stopChromium() {
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    void theDemosReportPlaysEveryVideoAndFiltersByStatus() throws Exception {
        Path report = runSimulated(Path.of("jobs/demo.yml").toAbsolutePath());
        chromium.open(report);

        assertThat(texts(".tile")).hasSize(5);
        assertThat(attributes(".group", "data-id")).containsExactlyElementsOf(DEMO_VIDEOS);
        assertThat(attributes("#problems tr[data-status]", "data-id")).containsExactly("too-creative", "wrong-length");
        assertEveryVideoLoads(report, 5);
        String screenshot = System.getProperty("report.screenshot");
        if (screenshot != null && !screenshot.isBlank()) {
            chromium.script("window.scrollTo(0, 0)");
            chromium.screenshot(Path.of(screenshot));
        }

        toggle("GENERATED");
        assertThat(displayed(".tile")).as("tiles with GENERATED unticked").isEmpty();
        assertThat(displayed(".group")).isEmpty();
        assertThat(displayed("#gallery .filtered-out")).hasSize(1);
        assertThat(displayed("#problems tr[data-status]")).hasSize(2);

        toggle("REJECTED");
        assertThat(displayed("#problems tr[data-status]")).as("rejected rows with REJECTED unticked").isEmpty();

        toggle("GENERATED");
        assertThat(displayed(".tile")).as("tiles with GENERATED ticked again").hasSize(5);
        assertThat(displayed("#gallery .filtered-out")).isEmpty();
        assertThat(displayed("#problems tr[data-status]")).isEmpty();

        chromium.driver.findElement(By.id("show-all")).click();
        assertThat(displayed(".tile")).hasSize(5);
        assertThat(displayed("#problems tr[data-status]")).hasSize(2);
    }

    @Test
    void aScriptInACellIsShownAsTextAndNeverRuns() throws Exception {
        String prompt = "<script>window.pwned = 1; document.title = 'pwned';</script><img src=x onerror=\"window.pwned = 2\"> a harbour at dusk";
        Path csv = write("hostile.csv", "id,prompt,cfg_scale,duration\n"
                + "hostile,\"" + prompt.replace("\"", "\"\"") + "\",,5\n"
                + "bad-cfg,fireworks <b>over</b> the bay,<script>window.pwned=3</script>,5\n");
        Path report = runSimulated(csv);
        chromium.open(report);

        assertEveryVideoLoads(report, 1);
        assertThat(chromium.script("return typeof window.pwned")).isEqualTo("undefined");
        assertThat(chromium.driver.getTitle()).isEqualTo("hostile · kling-batch report");
        assertThat(chromium.script("return document.images.length")).isEqualTo(0L);
        assertThat(chromium.script("return document.scripts.length")).as("only the report's own script").isEqualTo(1L);
        assertThat(chromium.script("return document.querySelector('.group[data-id=hostile] .prompt').textContent")).isEqualTo(prompt);
        assertThat(chromium.script("return document.querySelector('tr[data-id=bad-cfg] .reason').textContent"))
                .isEqualTo("cfg_scale: must be a number from 0 to 1 (got '<script>window.pwned=3</script>')");
        assertThat(chromium.script("return document.querySelector('tr[data-id=bad-cfg] .prompt').textContent"))
                .isEqualTo("fireworks <b>over</b> the bay");

        toggle("GENERATED"); // the report's own script does run
        assertThat(displayed(".tile")).isEmpty();
        toggle("GENERATED");
        assertThat(displayed(".tile")).hasSize(1);
        assertThat(chromium.script("return typeof window.pwned")).isEqualTo("undefined");
    }

    /** Runs a campaign file against the built-in simulator (topped up) as {@code run FILE --simulate} does; returns its report. */
    private Path runSimulated(Path file) throws Exception {
        connector.simulator().setCredits(new BigDecimal("20"));
        Campaign campaign = new CampaignLoader(folder).load(file, null);
        launcher.run(new CampaignRun(campaign, true, false));
        Path report = campaign.output().resolve(CampaignReports.FILE);
        assertThat(report).exists();
        return report;
    }

    /** Each video reaches HAVE_METADATA with a duration, or the test fails naming its state and error. */
    @SuppressWarnings("unchecked")
    private void assertEveryVideoLoads(Path report, int count) {
        String states = "return Array.from(document.querySelectorAll('video')).map(v => ({src: v.getAttribute('src'), "
                + "readyState: v.readyState, duration: isFinite(v.duration) ? v.duration : -1, error: v.error ? v.error.code + ' ' + v.error.message : null}))";
        try {
            new WebDriverWait(chromium.driver, Duration.ofSeconds(20)).until(driver -> ((List<Map<String, Object>>) chromium.script(states)).stream()
                    .allMatch(video -> ((Number) video.get("readyState")).intValue() >= 1 || video.get("error") != null));
        } catch (org.openqa.selenium.TimeoutException e) {
            // the assertions below say which video did not load
        }
        List<Map<String, Object>> videos = (List<Map<String, Object>>) chromium.script(states);
        assertThat(videos).hasSize(count);
        for (Map<String, Object> video : videos) {
            assertThat(((Number) video.get("readyState")).intValue()).as("readyState of %s", video).isGreaterThanOrEqualTo(1);
            assertThat(((Number) video.get("duration")).doubleValue()).as("duration of %s", video).isGreaterThan(0);
            assertThat(video.get("src").toString()).doesNotContain(":", "/");
            assertThat(report.getParent().resolve(video.get("src").toString())).as("the file beside the report").isRegularFile();
        }
    }

    private void toggle(String status) {
        chromium.driver.findElement(By.cssSelector("input[data-filter='" + status + "']")).click();
    }

    private List<WebElement> displayed(String selector) {
        return chromium.driver.findElements(By.cssSelector(selector)).stream().filter(WebElement::isDisplayed).toList();
    }

    private List<String> texts(String selector) {
        return chromium.driver.findElements(By.cssSelector(selector)).stream().map(WebElement::getText).toList();
    }

    private List<String> attributes(String selector, String attribute) {
        return chromium.driver.findElements(By.cssSelector(selector)).stream().map(element -> element.getDomAttribute(attribute)).toList();
    }
}
