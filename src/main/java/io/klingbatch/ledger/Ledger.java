package io.klingbatch.ledger;

import io.klingbatch.segmind.Billing;
import io.klingbatch.segmind.Submission;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The truth about money: one line per video ({@link VideoKey}), whichever campaign, folder or machine asked for it.
 *
 * <p>Each change commits in its own transaction (REQUIRES_NEW), never with a chunk: a chunk that rolls back must not
 * un-record a payment. Reads run in their own short transactions too, so a chunk that spans minutes of paid calls never
 * holds a connection. A PAID line is never downgraded. Plain, portable SQL (H2 and PostgreSQL); Flyway creates the table.
 */
@Component
public class Ledger {

    private static final String COLUMNS = "endpoint, request_hash, take, state, attempts, duration, mode, estimate, cost, "
            + "remaining_credits, request_id, status_url, response_url, submitted_at, error, file_name, file_path, host, bytes, "
            + "sha256, campaign, row_id, execution_id, holder, created_at, updated_at";
    private static final String KEY = " WHERE endpoint = ? AND request_hash = ? AND take = ?";
    private static final int IN_BATCH = 500;

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
        return ownTransaction.execute(status -> jdbc.query("SELECT " + COLUMNS + " FROM kb_video" + KEY, Ledger::entry,
                key.endpoint(), key.requestHash(), key.take()).stream().findFirst());
    }

    /** The request's highest take: the video a row of this request stands for (1 until a remake orders another). */
    public Optional<LedgerEntry> latest(String endpoint, String requestHash) {
        return ownTransaction.execute(status -> jdbc.query("SELECT " + COLUMNS + " FROM kb_video WHERE endpoint = ? AND request_hash = ?"
                + " ORDER BY take DESC", Ledger::entry, endpoint, requestHash).stream().findFirst());
    }

    /** {@link #latest} for many requests at once (the manifest of a big campaign), in batches of a few hundred. */
    public Map<String, LedgerEntry> latest(String endpoint, Collection<String> requestHashes) {
        Map<String, LedgerEntry> latest = new HashMap<>();
        takes(endpoint, requestHashes).forEach((hash, entries) -> latest.put(hash, entries.get(entries.size() - 1))); // ordered by take
        return latest;
    }

    /** Every take of many requests (several takes a row), by request hash, each list ordered by take. */
    public Map<String, List<LedgerEntry>> takes(String endpoint, Collection<String> requestHashes) {
        Map<String, List<LedgerEntry>> takes = new HashMap<>();
        List<String> all = new ArrayList<>(requestHashes);
        for (int from = 0; from < all.size(); from += IN_BATCH) {
            List<String> batch = all.subList(from, Math.min(all.size(), from + IN_BATCH));
            List<Object> arguments = new ArrayList<>(batch.size() + 1);
            arguments.add(endpoint);
            arguments.addAll(batch);
            String marks = String.join(", ", java.util.Collections.nCopies(batch.size(), "?"));
            List<LedgerEntry> entries = ownTransaction.execute(status -> jdbc.query("SELECT " + COLUMNS + " FROM kb_video"
                    + " WHERE endpoint = ? AND request_hash IN (" + marks + ") ORDER BY take", Ledger::entry, arguments.toArray()));
            for (LedgerEntry entry : entries) {
                takes.computeIfAbsent(entry.key().requestHash(), hash -> new ArrayList<>()).add(entry);
            }
        }
        return takes;
    }

    /**
     * Claims a video for one call, the moment it goes on the wire, atomically: true when this process may send it.
     * Written as SENT and committed before the request leaves, so if the process dies during the call the next run
     * knows. Only a new video, or a line that cost nothing (ORDERED, FAILED) or that the user chose to resend
     * (UNCERTAIN), can be claimed; two processes that read the same state both try, only one changes it.
     */
    public boolean claim(VideoKey key, Claim claim, Optional<LedgerEntry> before) {
        return Boolean.TRUE.equals(ownTransaction.execute(status -> {
            Timestamp now = now();
            if (before.isEmpty()) {
                try {
                    jdbc.update("INSERT INTO kb_video (endpoint, request_hash, take, state, attempts, duration, mode, estimate, campaign,"
                                    + " row_id, execution_id, holder, created_at, updated_at) VALUES (?, ?, ?, 'SENT', 1, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            key.endpoint(), key.requestHash(), key.take(), claim.duration(), claim.mode(), claim.estimate(),
                            claim.campaign(), claim.rowId(), claim.executionId(), claim.holder(), now, now);
                    return true;
                } catch (DuplicateKeyException e) {
                    status.setRollbackOnly();
                    return false;
                }
            }
            LedgerEntry entry = before.get();
            return jdbc.update("UPDATE kb_video SET state = 'SENT', attempts = attempts + 1, duration = ?, mode = ?, estimate = ?,"
                            + " campaign = ?, row_id = ?, execution_id = ?, holder = ?, error = NULL, updated_at = ?" + KEY
                            + " AND state = ? AND updated_at = ? AND state IN ('ORDERED', 'FAILED', 'UNCERTAIN')",
                    claim.duration(), claim.mode(), claim.estimate(), claim.campaign(), claim.rowId(), claim.executionId(), claim.holder(),
                    now, key.endpoint(), key.requestHash(), key.take(), entry.state().name(), Timestamp.from(entry.updatedAt())) == 1;
        }));
    }

    /**
     * The call certainly was not billed and will not be tried again now (refused, out of credits, unreachable, never
     * sent): the line goes back to exactly what it was before the call (a new one disappears), provided it is still as
     * this call left it: SENT by its claim, or {@code current}, the mark a "not billed, trying again" answer left.
     */
    public void release(VideoKey key, Optional<LedgerEntry> original, Optional<LedgerEntry> current) {
        String condition = current.isEmpty() ? " AND state = 'SENT'" : " AND state = ? AND updated_at = ?";
        List<Object> conditionArguments = current.isEmpty() ? List.of()
                : List.of(current.get().state().name(), Timestamp.from(current.get().updatedAt()));
        ownTransaction.executeWithoutResult(status -> {
            List<Object> arguments = new ArrayList<>();
            if (original.isEmpty()) {
                arguments.addAll(List.of(key.endpoint(), key.requestHash(), key.take()));
                arguments.addAll(conditionArguments);
                jdbc.update("DELETE FROM kb_video" + KEY + condition, arguments.toArray());
            } else {
                LedgerEntry entry = original.get();
                arguments.addAll(List.of(entry.state().name(), entry.attempts()));
                arguments.add(entry.error());
                arguments.addAll(List.of(Timestamp.from(entry.updatedAt()), key.endpoint(), key.requestHash(), key.take()));
                arguments.addAll(conditionArguments);
                jdbc.update("UPDATE kb_video SET state = ?, attempts = ?, error = ?, updated_at = ?" + KEY + condition, arguments.toArray());
            }
        });
    }

    /**
     * An answer said nothing was billed (429, 5xx, no connection) and the client will try again after a wait: the line
     * stops being SENT at once, so a process killed while waiting leaves nothing that looks paid: back to what it was, or
     * FAILED (cost nothing, may be sent again) for a new one. Returns the line as it is now, for the next claim.
     *
     * @param attempt whether the call counts as an attempt (a 429 does not)
     */
    public Optional<LedgerEntry> notBilled(VideoKey key, Optional<LedgerEntry> before, String why, boolean attempt) {
        String limited = why == null ? null : why.length() > 2000 ? why.substring(0, 1997) + "..." : why;
        ownTransaction.executeWithoutResult(status -> jdbc.update("UPDATE kb_video SET state = ?, attempts = attempts - ?, error = ?,"
                        + " updated_at = ?" + KEY + " AND state = 'SENT'",
                before.map(entry -> entry.state().name()).orElse(LedgerState.FAILED.name()), attempt ? 0 : 1,
                before.map(LedgerEntry::error).orElse("not billed (" + limited + "); being tried again"), now(),
                key.endpoint(), key.requestHash(), key.take()));
        return find(key);
    }

    /** Orders a new take (a remake): nothing is sent yet and nothing is owed. False when that take exists already. */
    public boolean order(VideoKey key, Claim claim) {
        return Boolean.TRUE.equals(ownTransaction.execute(status -> {
            try {
                Timestamp now = now();
                jdbc.update("INSERT INTO kb_video (endpoint, request_hash, take, state, attempts, duration, mode, campaign, row_id,"
                                + " created_at, updated_at) VALUES (?, ?, ?, 'ORDERED', 0, ?, ?, ?, ?, ?, ?)",
                        key.endpoint(), key.requestHash(), key.take(), claim.duration(), claim.mode(), claim.campaign(), claim.rowId(), now, now);
                return true;
            } catch (DuplicateKeyException e) {
                status.setRollbackOnly();
                return false;
            }
        }));
    }

    /** v2: the API accepted the request. Committed, in one statement, before any waiting: from now on it is polled, never resent. */
    public void submitted(VideoKey key, Submission submission) {
        ownTransaction.executeWithoutResult(status -> jdbc.update(
                "UPDATE kb_video SET state = 'SUBMITTED', request_id = ?, status_url = ?, response_url = ?, submitted_at = ?, updated_at = ?"
                        + KEY + " AND state <> 'PAID'",
                submission.requestId(), submission.statusUrl().toString(), submission.responseUrl().toString(), now(), now(),
                key.endpoint(), key.requestHash(), key.take()));
    }

    /**
     * The video is paid for and complete on disk ({@code host} names the machine). Also takes back into the ledger a
     * video only an output folder's paid log still knew (the database was elsewhere, or lost): then the line is new.
     */
    public void paid(VideoKey key, SavedVideo video, String host, Billing billing, String campaign, String rowId) {
        ownTransaction.executeWithoutResult(status -> {
            Timestamp now = now();
            String path = video.path() == null ? null : video.path().toString();
            int updated = jdbc.update("UPDATE kb_video SET state = 'PAID', file_name = ?, file_path = ?, host = ?, bytes = ?, sha256 = ?,"
                            + " cost = COALESCE(?, cost), remaining_credits = COALESCE(?, remaining_credits), request_id = COALESCE(?, request_id),"
                            + " error = NULL, updated_at = ?" + KEY,
                    video.fileName(), path, host, video.bytes(), video.sha256(), billing.cost(), billing.remainingCredits(),
                    billing.requestId(), now, key.endpoint(), key.requestHash(), key.take());
            if (updated == 0) {
                jdbc.update("INSERT INTO kb_video (endpoint, request_hash, take, state, attempts, cost, remaining_credits, request_id,"
                                + " file_name, file_path, host, bytes, sha256, campaign, row_id, created_at, updated_at)"
                                + " VALUES (?, ?, ?, 'PAID', 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        key.endpoint(), key.requestHash(), key.take(), billing.cost(), billing.remainingCredits(), billing.requestId(),
                        video.fileName(), path, host, video.bytes(), video.sha256(), campaign, rowId, now, now);
            }
        });
    }

    /**
     * v2: a request only the output folder's log remembers (the database failed to record it, or is another one): the
     * line becomes SUBMITTED with its id and URLs, so it is polled, never paid again nor called UNCERTAIN.
     */
    public void recoverSubmitted(VideoKey key, Submission submission, String campaign, String rowId) {
        ownTransaction.executeWithoutResult(status -> {
            Timestamp now = now();
            int updated = jdbc.update("UPDATE kb_video SET state = 'SUBMITTED', request_id = ?, status_url = ?, response_url = ?,"
                            + " submitted_at = COALESCE(submitted_at, ?), updated_at = ?" + KEY + " AND state IN ('SENT', 'UNCERTAIN')",
                    submission.requestId(), submission.statusUrl().toString(), submission.responseUrl().toString(), now, now,
                    key.endpoint(), key.requestHash(), key.take());
            if (updated == 0 && find(key).isEmpty()) {
                jdbc.update("INSERT INTO kb_video (endpoint, request_hash, take, state, attempts, request_id, status_url, response_url,"
                                + " submitted_at, campaign, row_id, created_at, updated_at) VALUES (?, ?, ?, 'SUBMITTED', 1, ?, ?, ?, ?, ?, ?, ?, ?)",
                        key.endpoint(), key.requestHash(), key.take(), submission.requestId(), submission.statusUrl().toString(),
                        submission.responseUrl().toString(), now, campaign, rowId, now, now);
            }
        });
    }

    /** What a paid video cost, learned after the fact (v2 results may not say: the balance's change around it does). */
    public void cost(VideoKey key, BigDecimal cost) {
        ownTransaction.executeWithoutResult(status -> jdbc.update("UPDATE kb_video SET cost = ?, updated_at = ?" + KEY + " AND cost IS NULL",
                cost, now(), key.endpoint(), key.requestHash(), key.take()));
    }

    /**
     * What a change of state expects the line to be, so it never overwrites what another worker or process made of it
     * meanwhile (a new claim, a payment).
     */
    public record Expect(LedgerState state, String holder, Instant updatedAt) {

        /** SENT by this claim's holder. */
        public static Expect claimedBy(String holder) {
            return new Expect(LedgerState.SENT, holder, null);
        }

        /** Exactly as it was read. */
        public static Expect unchanged(LedgerEntry entry) {
            return new Expect(entry.state(), null, entry.updatedAt());
        }

        /** A v2 request waiting for its result. */
        public static Expect submitted() {
            return new Expect(LedgerState.SUBMITTED, null, null);
        }
    }

    /** The API said no and charged nothing: FAILED (may be sent again). True when the line was as expected. */
    public boolean failed(VideoKey key, String error, Expect expect) {
        return change(key, LedgerState.FAILED, error, expect);
    }

    /** It may have been charged without a result: UNCERTAIN (resent only on request). True when the line was as expected. */
    public boolean uncertain(VideoKey key, String error, Expect expect) {
        return change(key, LedgerState.UNCERTAIN, error, expect);
    }

    private boolean change(VideoKey key, LedgerState state, String error, Expect expect) {
        String limited = error == null ? null : error.length() > 2000 ? error.substring(0, 1997) + "..." : error;
        List<Object> arguments = new ArrayList<>(List.of(state.name()));
        arguments.add(limited);
        arguments.addAll(List.of(now(), key.endpoint(), key.requestHash(), key.take(), expect.state().name()));
        String condition = " AND state = ?";
        if (expect.holder() != null) {
            condition += " AND holder = ?";
            arguments.add(expect.holder());
        }
        if (expect.updatedAt() != null) {
            condition += " AND updated_at = ?";
            arguments.add(Timestamp.from(expect.updatedAt()));
        }
        String sql = "UPDATE kb_video SET state = ?, error = ?, updated_at = ?" + KEY + condition + " AND state <> 'PAID'";
        return Boolean.TRUE.equals(ownTransaction.execute(status -> jdbc.update(sql, arguments.toArray()) == 1));
    }

    /** A video's first file was moved aside (to make room for a newer video of its row): the ledger follows it. */
    public void moved(VideoKey key, Path from, SavedVideo to) {
        ownTransaction.executeWithoutResult(status -> jdbc.update("UPDATE kb_video SET file_name = ?, file_path = ?, updated_at = ?"
                + KEY + " AND file_path = ?", to.fileName(), to.path().toString(), now(), key.endpoint(), key.requestHash(), key.take(),
                from.toString()));
    }

    /** v2 requests a campaign left waiting for their result (a run that stopped, died, or waited too long). */
    public List<LedgerEntry> waiting(String campaign, String endpoint) {
        return ownTransaction.execute(status -> jdbc.query("SELECT " + COLUMNS + " FROM kb_video WHERE campaign = ? AND endpoint = ?"
                + " AND state = 'SUBMITTED'", Ledger::entry, campaign, endpoint));
    }

    /** Every line a campaign paid for or claimed (for {@code status}). */
    public List<LedgerEntry> entries(String campaign, String endpoint) {
        return ownTransaction.execute(status -> jdbc.query("SELECT " + COLUMNS + " FROM kb_video WHERE campaign = ? AND endpoint = ?",
                Ledger::entry, campaign, endpoint));
    }

    /**
     * What a campaign has spent on one API, everything that may have cost money included: paid videos at their real
     * cost (or the estimate while the API did not say), submitted requests, and calls that may have been charged.
     */
    public Spend spend(String campaign, String endpoint) {
        List<Map<String, Object>> rows = ownTransaction.execute(status -> jdbc.queryForList("SELECT state, COUNT(*) AS n,"
                + " SUM(COALESCE(cost, estimate, 0)) AS total, SUM(CASE WHEN cost IS NULL THEN 1 ELSE 0 END) AS estimated"
                + " FROM kb_video WHERE campaign = ? AND endpoint = ? GROUP BY state", campaign, endpoint));
        Spend spend = Spend.NONE;
        for (Map<String, Object> row : rows) {
            LedgerState state = LedgerState.valueOf(String.valueOf(row.get("state")));
            BigDecimal total = row.get("total") == null ? BigDecimal.ZERO : new BigDecimal(row.get("total").toString());
            int count = ((Number) row.get("n")).intValue();
            int estimated = row.get("estimated") == null ? 0 : ((Number) row.get("estimated")).intValue();
            spend = spend.plus(state, count, total, estimated);
        }
        return spend;
    }

    /** The price of a kind of video (mode and duration) on an API, from the calls it was paid for: null until one said. */
    public BigDecimal averageCost(String endpoint, String mode, String duration) {
        return ownTransaction.execute(status -> jdbc.queryForObject("SELECT AVG(cost) FROM kb_video WHERE endpoint = ? AND mode = ?"
                + " AND duration = ? AND cost IS NOT NULL AND state IN ('PAID', 'SUBMITTED')", BigDecimal.class, endpoint, mode, duration));
    }

    /** The lowest balance the API reported during one execution: with calls in parallel, answers arrive out of order. */
    public BigDecimal lowestBalance(long executionId) {
        return ownTransaction.execute(status -> jdbc.queryForObject("SELECT MIN(remaining_credits) FROM kb_video WHERE execution_id = ?",
                BigDecimal.class, executionId));
    }

    private Timestamp now() {
        return Timestamp.from(clock.instant());
    }

    static LedgerEntry entry(ResultSet rs, int rowNum) throws SQLException {
        long bytes = rs.getLong("bytes");
        Long size = rs.wasNull() ? null : bytes;
        long execution = rs.getLong("execution_id");
        Long executionId = rs.wasNull() ? null : execution;
        return new LedgerEntry(new VideoKey(rs.getString("endpoint"), rs.getString("request_hash"), rs.getInt("take")),
                LedgerState.valueOf(rs.getString("state")), rs.getInt("attempts"), rs.getString("duration"), rs.getString("mode"),
                rs.getBigDecimal("estimate"), rs.getBigDecimal("cost"), rs.getBigDecimal("remaining_credits"), rs.getString("request_id"),
                rs.getString("status_url"), rs.getString("response_url"), instant(rs.getTimestamp("submitted_at")), rs.getString("error"),
                rs.getString("file_name"), rs.getString("file_path"), rs.getString("host"), size, rs.getString("sha256"),
                rs.getString("campaign"), rs.getString("row_id"), executionId, trim(rs.getString("holder")),
                instant(rs.getTimestamp("created_at")), instant(rs.getTimestamp("updated_at")));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static String trim(String text) {
        return text == null ? null : text.strip();
    }
}
