package io.klingbatch.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A job file's {@code schedule:} and {@code notify:}: checked when it is read, carried in the campaign. */
class JobFileScheduleTest {

    @TempDir
    Path work;

    @BeforeEach
    void csv() throws IOException {
        Files.writeString(work.resolve("nightly.csv"), "prompt\na cat\n");
    }

    private Campaign load(String yaml) throws IOException {
        Files.writeString(work.resolve("nightly.yml"), "input: nightly.csv\n" + yaml);
        return new CampaignLoader(work).load(Path.of("nightly.yml"), null);
    }

    @Test
    void aScheduleAndAWebhookAreCarriedInTheCampaign() throws IOException {
        Campaign campaign = load("schedule: \"0 0 2 * * *\"\nnotify:\n  webhook-url: https://hooks.example.com/T1/B2/x\n");
        assertThat(campaign.schedule()).isEqualTo("0 0 2 * * *");
        assertThat(campaign.webhook()).isEqualTo(URI.create("https://hooks.example.com/T1/B2/x"));
        assertThat(campaign.withOutput(work.resolve("elsewhere")).schedule()).isEqualTo("0 0 2 * * *");
        assertThat(campaign.withOutput(work.resolve("elsewhere")).webhook()).isEqualTo(campaign.webhook());

        assertThat(load("schedule: \"@daily\"\n").schedule()).isEqualTo("@daily");
        assertThat(load("").schedule()).isNull();
        assertThat(load("").webhook()).isNull();
    }

    @Test
    void aScheduleThatIsNotACronExpressionIsAnErrorNamingTheJobFile() {
        assertThatThrownBy(() -> load("schedule: \"0 0 2 * *\"\n")).isInstanceOf(CampaignFileException.class)
                .hasMessageContaining("nightly.yml: 'schedule' must be a cron expression with seconds");
        assertThatThrownBy(() -> load("schedule: \"@fortnightly\"\n")).isInstanceOf(CampaignFileException.class)
                .hasMessageContaining("'schedule' must be a cron expression");
    }

    @Test
    void aNotifySectionIsChecked() {
        assertThatThrownBy(() -> load("notify:\n  webhook: https://x.example\n")).isInstanceOf(CampaignFileException.class)
                .hasMessageContaining("unknown setting 'notify.webhook' (known: webhook-url)");
        assertThatThrownBy(() -> load("notify:\n  webhook-url: ftp://x.example/a\n")).isInstanceOf(CampaignFileException.class)
                .hasMessageContaining("'notify.webhook-url' must be an http(s) URL");
        assertThatThrownBy(() -> load("notify: https://x.example\n")).isInstanceOf(CampaignFileException.class)
                .hasMessageContaining("'notify' must be a section");
    }
}
