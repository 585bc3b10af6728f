package io.klingbatch.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.klingbatch.CampaignTestSupport;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The ledger's changes are conditional: none overwrites what another worker or process made of a line meanwhile. */
class LedgerTest extends CampaignTestSupport {

    @Autowired
    Ledger ledger;

    @Test
    void aCallThatLostItsClaimCannotMarkAnotherProcesssClaim() {
        VideoKey key = new VideoKey(endpoint(), "d".repeat(64), 1);
        Claim theirs = new Claim("5", "pro", null, "campaign", "x", null, "another-process");
        assertThat(ledger.claim(key, theirs, Optional.empty())).isTrue();

        assertThat(ledger.failed(key, "HTTP 400", Ledger.Expect.claimedBy("this-process"))).isFalse();
        assertThat(ledger.uncertain(key, "reset", Ledger.Expect.claimedBy("this-process"))).isFalse();
        assertThat(ledger.find(key)).hasValueSatisfying(line -> assertThat(line.state()).isEqualTo(LedgerState.SENT));

        assertThat(ledger.failed(key, "HTTP 400", Ledger.Expect.claimedBy("another-process"))).isTrue();
        assertThat(ledger.find(key)).hasValueSatisfying(line -> assertThat(line.state()).isEqualTo(LedgerState.FAILED));
    }

    @Test
    void aPaidVideoIsNeverDowngraded() {
        VideoKey key = new VideoKey(endpoint(), "e".repeat(64), 1);
        ledger.claim(key, new Claim("5", "pro", null, "campaign", "x", null, "me"), Optional.empty());
        ledger.paid(key, new SavedVideo("x.mp4", folder.resolve("x.mp4"), 3, "f".repeat(64)), "host",
                new io.klingbatch.segmind.Billing(null, null, "r"), "campaign", "x");

        assertThat(ledger.uncertain(key, "late", Ledger.Expect.claimedBy("me"))).isFalse();
        assertThat(ledger.find(key)).hasValueSatisfying(line -> assertThat(line.state()).isEqualTo(LedgerState.PAID));
    }
}
