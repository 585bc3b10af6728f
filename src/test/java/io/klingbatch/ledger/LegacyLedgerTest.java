package io.klingbatch.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;

/** The first ledger's lines (keyed by output folder) move into the ledger by video: nothing paid is forgotten, nothing doubled. */
class LegacyLedgerTest {

    private static final String REAL = "https://api.segmind.com";
    private static final String A = "a".repeat(64);
    private static final String B = "b".repeat(64);
    private static final String C = "c".repeat(64);

    @Test
    void everyPaidVideoMovesOnceAndTheSameRequestPaidInTwoFoldersBecomesTwoTakes() throws Exception {
        try (Connection db = DriverManager.getConnection("jdbc:h2:mem:" + UUID.randomUUID(), "sa", "")) {
            for (String script : List.of("V2__generation_ledger.sql", "V3__ledger_v2_requests.sql", "V4__videos_by_request.sql")) {
                db.createStatement().execute(new ClassPathResource("db/migration/" + script).getContentAsString(StandardCharsets.UTF_8));
            }
            old(db, "/out/one", "x", A, false, "PAID", "x.mp4", "1".repeat(64), "req-1", "2026-01-01 10:00:00");
            old(db, "/out/two", "y", A, false, "PAID", "y.mp4", "2".repeat(64), "req-2", "2026-01-02 10:00:00"); // paid again, elsewhere
            old(db, "/out/two", "y", A, true, "PAID", "y.sim.mp4", "3".repeat(64), "req-3", "2026-01-02 11:00:00"); // simulated
            old(db, "/out/one", "z", B, false, "SENT", null, null, null, "2026-01-03 10:00:00"); // in flight when it died
            old(db, "/out/one", "f", C, false, "FAILED", null, null, null, "2026-01-01 09:00:00");
            old(db, "/out/two", "g", C, false, "PAID", "g.mp4", "4".repeat(64), "req-4", "2026-01-04 10:00:00");

            int copied = LegacyLedger.copy(db, db, REAL, "host-1");
            int again = LegacyLedger.copy(db, db, REAL, "host-1");

            assertThat(copied).isEqualTo(5);
            assertThat(again).as("copying twice adds nothing").isZero();
            assertThat(lines(db)).containsExactlyInAnyOrder(
                    REAL + " " + A + " 1 PAID x /out/one/x.mp4 one",
                    REAL + " " + A + " 2 PAID y /out/two/y.mp4 two",
                    "simulator " + A + " 1 PAID y /out/two/y.sim.mp4 two",
                    REAL + " " + B + " 1 UNCERTAIN z null one",
                    REAL + " " + C + " 1 PAID g /out/two/g.mp4 two");
        }
    }

    private static void old(Connection db, String folder, String id, String hash, boolean simulated, String state, String file, String sha,
                            String requestId, String at) throws Exception {
        var insert = db.prepareStatement("INSERT INTO kb_ledger (campaign, video_id, request_hash, simulated, state, attempts, file_name, bytes,"
                + " sha256, cost, remaining_credits, request_id, error, created_at, updated_at, duration) VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, 0.88,"
                + " 9, ?, NULL, TIMESTAMP '" + at + "', TIMESTAMP '" + at + "', '10')");
        insert.setString(1, folder);
        insert.setString(2, id);
        insert.setString(3, hash);
        insert.setBoolean(4, simulated);
        insert.setString(5, state);
        insert.setString(6, file);
        insert.setObject(7, file == null ? null : 10L);
        insert.setString(8, sha);
        insert.setString(9, requestId);
        insert.executeUpdate();
    }

    private static List<String> lines(Connection db) throws Exception {
        List<String> lines = new ArrayList<>();
        try (ResultSet rs = db.createStatement().executeQuery("SELECT endpoint, request_hash, take, state, row_id, file_path, campaign FROM kb_video")) {
            while (rs.next()) {
                lines.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getInt(3) + " " + rs.getString(4) + " " + rs.getString(5) + " "
                        + rs.getString(6) + " " + rs.getString(7));
            }
        }
        return lines;
    }
}
