package io.klingbatch.generation;

import io.klingbatch.segmind.Billing;
import io.klingbatch.segmind.Submission;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The record of every paid call, kept apart from Spring Batch's progress. Each change commits in its own
 * transaction (REQUIRES_NEW), never with the chunk: a chunk that rolls back must not un-record a payment. Reads
 * run in their own short transaction too, so a chunk that spans minutes of paid calls never holds a connection.
 * Plain, portable SQL (H2 and PostgreSQL); the table is created by Flyway.
 */
@Component
public class Ledger {

    private static final String COLUMNS = "campaign, video_id, request_hash, simulated, state, attempts, file_name, bytes, "
            + "sha256, cost, remaining_credits, request_id, error, updated_at, status_url, response_url, submitted_at, duration";

    private static final String INSERT_COLUMNS = "campaign, video_id, request_hash, simulated, state, attempts, file_name, bytes, "
            + "sha256, cost, remaining_credits, request_id, error, updated_at";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate ownTransaction;
    private final Clock clock;

    Ledger(JdbcTemplate jdbc, PlatformTransactionManager transactionManager, Clock clock) {
        this.jdbc = jdbc;
        this.ownTransaction = new TransactionTemplate(transactionManager);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.clock = clock;
    }

    public Optional<LedgerEntry> find(VideoKey key) {
        return ownTransaction.execute(status -> jdbc.query("SELECT " + COLUMNS + " FROM kb_ledger"
                + " WHERE campaign = ? AND video_id = ? AND request_hash = ? AND simulated = ?",
                Ledger::entry, key.campaign(), key.videoId(), key.requestHash(), key.simulated()).stream().findFirst());
    }

    /** Every line of a campaign in one mode, for the manifest and the summary. */
    public List<LedgerEntry> entries(String campaign, boolean simulated) {
        return ownTransaction.execute(status -> jdbc.query("SELECT " + COLUMNS + " FROM kb_ledger WHERE campaign = ? AND simulated = ?",
                Ledger::entry, campaign, simulated));
    }

    /** Every paid version of a video, real or simulated, whose files a new version must not overwrite. */
    public List<LedgerEntry> paidVersions(String campaign, String videoId) {
        return ownTransaction.execute(status -> jdbc.query("SELECT " + COLUMNS + " FROM kb_ledger WHERE campaign = ? AND video_id = ? AND state = 'PAID'",
                Ledger::entry, campaign, videoId));
    }

    /**
     * Claims a video for one paid call, atomically: true when this process may send it. Written as SENT and committed
     * before the call, so if the process dies during it the next run knows. Two processes that read the same state
     * both try; only one changes it. {@code before} is what {@link #find} returned.
     */
    public boolean claim(VideoKey key, String duration, Optional<LedgerEntry> before) {
        return Boolean.TRUE.equals(ownTransaction.execute(status -> {
            Timestamp now = now();
            if (before.isEmpty()) {
                try {
                    jdbc.update("INSERT INTO kb_ledger (" + INSERT_COLUMNS + ", duration, created_at) VALUES (?, ?, ?, ?, 'SENT', 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, ?, ?, ?)",
                            key.campaign(), key.videoId(), key.requestHash(), key.simulated(), now, duration, now);
                    return true;
                } catch (DuplicateKeyException e) {
                    status.setRollbackOnly();
                    return false;
                }
            }
            LedgerEntry entry = before.get();
            // only a line that cost nothing (FAILED) or that the user chose to resend (UNCERTAIN) can be claimed again
            return jdbc.update("UPDATE kb_ledger SET state = 'SENT', duration = ?, updated_at = ?"
                            + " WHERE campaign = ? AND video_id = ? AND request_hash = ? AND simulated = ? AND state = ? AND updated_at = ?"
                            + " AND state IN ('FAILED', 'UNCERTAIN')",
                    duration, now, key.campaign(), key.videoId(), key.requestHash(), key.simulated(), entry.state().name(),
                    Timestamp.from(entry.updatedAt())) == 1;
        }));
    }

    /** v2: the API accepted the request. Committed, in one statement, before any waiting: from now on it is polled, never resent. */
    public void submitted(VideoKey key, int attempts, Submission submission) {
        ownTransaction.executeWithoutResult(status -> jdbc.update(
                "UPDATE kb_ledger SET state = 'SUBMITTED', attempts = attempts + ?, request_id = ?, status_url = ?, response_url = ?,"
                        + " submitted_at = ?, updated_at = ? WHERE campaign = ? AND video_id = ? AND request_hash = ? AND simulated = ? AND state <> 'PAID'",
                attempts, submission.requestId(), submission.statusUrl().toString(), submission.responseUrl().toString(), now(), now(),
                key.campaign(), key.videoId(), key.requestHash(), key.simulated()));
    }

    /** v2 requests of a campaign still waiting for their result (from this run or one that stopped or died). */
    public List<LedgerEntry> submitted(String campaign, boolean simulated) {
        return ownTransaction.execute(status -> jdbc.query("SELECT " + COLUMNS + " FROM kb_ledger WHERE campaign = ? AND simulated = ? AND state = 'SUBMITTED'",
                Ledger::entry, campaign, simulated));
    }

    /** What a campaign's paid calls (in one mode) cost so far, older versions included. */
    public java.math.BigDecimal spent(String campaign, boolean simulated) {
        java.math.BigDecimal spent = ownTransaction.execute(status -> jdbc.queryForObject(
                "SELECT SUM(cost) FROM kb_ledger WHERE campaign = ? AND simulated = ? AND state = 'PAID'", java.math.BigDecimal.class, campaign, simulated));
        return spent == null ? java.math.BigDecimal.ZERO : spent;
    }

    /** What paid calls of one duration cost on average, from {@code x-cost} (null when none was recorded yet). */
    public java.math.BigDecimal averageCost(String duration) {
        return ownTransaction.execute(status -> jdbc.queryForObject(
                "SELECT AVG(cost) FROM kb_ledger WHERE state = 'PAID' AND simulated = FALSE AND duration = ? AND cost IS NOT NULL",
                java.math.BigDecimal.class, duration));
    }

    public void paid(VideoKey key, int attempts, StoredVideo video, Billing billing) {
        upsert(key, LedgerState.PAID, attempts, video.fileName(), video.bytes(), video.sha256(),
                billing.cost(), billing.remainingCredits(), billing.requestId(), null, true);
    }

    public void failed(VideoKey key, int attempts, String error) {
        upsert(key, LedgerState.FAILED, attempts, null, null, null, null, null, null, error, false);
    }

    public void uncertain(VideoKey key, int attempts, String error) {
        upsert(key, LedgerState.UNCERTAIN, attempts, null, null, null, null, null, null, error, false);
    }

    /** Puts back what was there before {@link #sent} when the call certainly did not happen (406, 401). */
    public void release(VideoKey key, Optional<LedgerEntry> before) {
        ownTransaction.executeWithoutResult(status -> {
            if (before.isEmpty()) {
                jdbc.update("DELETE FROM kb_ledger WHERE campaign = ? AND video_id = ? AND request_hash = ? AND simulated = ? AND state = 'SENT'",
                        key.campaign(), key.videoId(), key.requestHash(), key.simulated());
            } else {
                LedgerEntry entry = before.get();
                jdbc.update("UPDATE kb_ledger SET state = ?, error = ?, updated_at = ? WHERE campaign = ? AND video_id = ? AND request_hash = ? AND simulated = ?",
                        entry.state().name(), entry.error(), now(), key.campaign(), key.videoId(), key.requestHash(), key.simulated());
            }
        });
    }

    /** Records that an older version's file was moved aside to make room for a new one. */
    public void moved(VideoKey key, String newFileName) {
        ownTransaction.executeWithoutResult(status -> jdbc.update(
                "UPDATE kb_ledger SET file_name = ?, updated_at = ? WHERE campaign = ? AND video_id = ? AND request_hash = ? AND simulated = ?",
                newFileName, now(), key.campaign(), key.videoId(), key.requestHash(), key.simulated()));
    }

    private void upsert(VideoKey key, LedgerState state, int attempts, String fileName, Long bytes, String sha256,
                        Object cost, Object remaining, String requestId, String error, boolean clearError) {
        String limitedError = error == null ? null : error.length() > 2000 ? error.substring(0, 1997) + "..." : error;
        ownTransaction.executeWithoutResult(status -> {
            Timestamp now = now();
            int updated = jdbc.update("UPDATE kb_ledger SET state = ?, attempts = attempts + ?, file_name = COALESCE(?, file_name),"
                            + " bytes = COALESCE(?, bytes), sha256 = COALESCE(?, sha256), cost = COALESCE(?, cost),"
                            + " remaining_credits = COALESCE(?, remaining_credits), request_id = COALESCE(?, request_id),"
                            + " error = " + (clearError ? "NULL" : "COALESCE(?, error)") + ", updated_at = ?"
                            + " WHERE campaign = ? AND video_id = ? AND request_hash = ? AND simulated = ?"
                            + (state == LedgerState.PAID ? "" : " AND state <> 'PAID'"), // a paid video is never downgraded
                    clearError
                            ? new Object[] {state.name(), attempts, fileName, bytes, sha256, cost, remaining, requestId, now,
                                    key.campaign(), key.videoId(), key.requestHash(), key.simulated()}
                            : new Object[] {state.name(), attempts, fileName, bytes, sha256, cost, remaining, requestId, limitedError,
                                    now, key.campaign(), key.videoId(), key.requestHash(), key.simulated()});
            if (updated == 0) {
                try {
                    jdbc.update("INSERT INTO kb_ledger (" + INSERT_COLUMNS + ", created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            key.campaign(), key.videoId(), key.requestHash(), key.simulated(), state.name(), attempts, fileName, bytes,
                            sha256, cost, remaining, requestId, limitedError, now, now);
                } catch (DuplicateKeyException paid) {
                    status.setRollbackOnly(); // the line exists and is PAID: it stays PAID
                }
            }
        });
    }

    private Timestamp now() {
        return Timestamp.from(clock.instant());
    }

    private static LedgerEntry entry(ResultSet rs, int rowNum) throws SQLException {
        long bytes = rs.getLong("bytes");
        Long size = rs.wasNull() ? null : bytes;
        Timestamp updated = rs.getTimestamp("updated_at");
        Timestamp submitted = rs.getTimestamp("submitted_at");
        return new LedgerEntry(
                new VideoKey(rs.getString("campaign"), rs.getString("video_id"), rs.getString("request_hash"), rs.getBoolean("simulated")),
                LedgerState.valueOf(rs.getString("state")), rs.getInt("attempts"), rs.getString("file_name"), size,
                rs.getString("sha256"), rs.getBigDecimal("cost"), rs.getBigDecimal("remaining_credits"),
                rs.getString("request_id"), rs.getString("error"), updated == null ? Instant.EPOCH : updated.toInstant(),
                rs.getString("status_url"), rs.getString("response_url"), submitted == null ? null : submitted.toInstant(),
                rs.getString("duration"));
    }
}
