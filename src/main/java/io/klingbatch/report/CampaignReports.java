package io.klingbatch.report;

import io.klingbatch.campaign.Campaign;
import io.klingbatch.output.CampaignReporter;
import io.klingbatch.output.CampaignSummary;
import io.klingbatch.output.ManifestLine;
import io.klingbatch.output.OutputFolder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Writes {@code report.html} into a campaign's output folder: the videos as a gallery, the rows without one and what to
 * do about them, totals and credits. From the same state as the manifest ({@link CampaignReporter#report}), with no API
 * call; written to a temporary file, then renamed, so a reader never sees half a report.
 */
@Component
public class CampaignReports {

    public static final String FILE = "report.html";

    private static final Logger log = LoggerFactory.getLogger(CampaignReports.class);

    private final CampaignReporter reporter;
    private final Clock clock;

    CampaignReports(CampaignReporter reporter, Clock clock) {
        this.reporter = reporter;
        this.clock = clock;
    }

    /**
     * After a run, beside the manifest: never throws, so a report that cannot be written never fails or stops a run.
     *
     * @return the report, or null when it could not be written (the reason is logged)
     */
    public Path writeAfterRun(Campaign campaign, String endpoint, Long executionId) {
        try {
            return write(campaign, endpoint, executionId);
        } catch (RuntimeException | LinkageError e) {
            log.error("could not write {}", campaign.output().resolve(FILE), e);
            return null;
        }
    }

    /**
     * Rewrites {@code <output>/report.html} atomically.
     *
     * @param executionId the run whose lowest balance is shown, or null
     * @throws UncheckedIOException when the folder cannot be written
     */
    public Path write(Campaign campaign, String endpoint, Long executionId) {
        List<ManifestLine> lines = new ArrayList<>();
        CampaignSummary summary = reporter.report(campaign, endpoint, executionId, lines::add);
        ReportPage page = ReportPages.build(campaign, endpoint, summary, lines, clock.instant(), ZoneId.systemDefault());
        Path folder = campaign.output();
        Path report = folder.resolve(FILE);
        Path temp = folder.resolve(FILE + "." + UUID.randomUUID().toString().substring(0, 8) + ".tmp");
        try {
            Files.createDirectories(folder);
            try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
                new HtmlReport().render(page, out); // made here, not at start-up: commands that write no report never load Thymeleaf
            }
            OutputFolder.replace(temp, report);
            return report;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + report + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // a leftover .tmp is harmless; the next report is written under another name
            }
        }
    }
}
