package io.klingbatch.ledger;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.integration.jdbc.lock.DefaultLockRepository;
import org.springframework.integration.jdbc.lock.JdbcLockRegistry;
import org.springframework.integration.util.UUIDConverter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Campaigns held through the database, so that one run holds a campaign at a time across processes and machines:
 * Spring Integration's {@link JdbcLockRegistry} with a time-to-live, one lock per campaign, renewed while its run lives.
 * Nothing about liveness is decided from a local file or a pid alone: a lease that is renewed is alive; one that is not
 * lapses, and only then does another run take the campaign and recover what the dead run left.
 *
 * <p>Each process has one client id (the lock's owner column); {@code kb_holder} says which machine and pid it is, for
 * the sentence a refused run prints.
 */
@Component
public class Leases implements DisposableBean {

    private static final String REGION = "kling-batch";

    private final String clientId = UUID.randomUUID().toString();
    private final JdbcTemplate jdbc;
    private final LeaseProperties properties;
    private final DefaultLockRepository repository;
    private volatile JdbcLockRegistry registry;
    private volatile boolean registered;

    Leases(DataSource dataSource, PlatformTransactionManager transactionManager, JdbcTemplate jdbc, LeaseProperties properties) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.repository = new DefaultLockRepository(dataSource, clientId);
        repository.setRegion(REGION);
        repository.setTransactionManager(transactionManager);
        repository.setCheckDatabaseOnStart(false);
        repository.afterPropertiesSet();
        repository.afterSingletonsInstantiated();
        this.registry = new JdbcLockRegistry(repository, properties.ttl());
    }

    /** This process's id as a lease holder (written with every line it claims). */
    public String clientId() {
        return clientId;
    }

    /**
     * Takes the campaign's lease for a run. When another run holds it and renews it, throws {@link CampaignHeldException}
     * at once; when the holder stopped renewing (its process died), waits for the lease to lapse, saying so once.
     *
     * @param key      what identifies the campaign (its content and API)
     * @param campaign its name, for messages
     * @param waiting  told once when this run waits for a dead holder's lease to lapse
     */
    public Lease hold(String key, String campaign, Consumer<String> waiting) {
        boolean told = false;
        long waitingSince = System.nanoTime();
        // a holder that looks dead but goes on renewing (a machine of the same name, a reused pid) is alive after all
        Duration longest = properties.ttl().plus(properties.renewEvery().multipliedBy(2)).plusSeconds(5);
        while (true) {
            JdbcLockRegistry locks = registry;
            Lease lease = new Lease(key, locks.obtain(key), this::renew, properties.ttl(), properties.renewEvery(), this::forget,
                    () -> replace(locks));
            if (lease.take()) {
                try {
                    register(campaign);
                } catch (RuntimeException e) {
                    lease.close(); // never keep a lease nobody will release
                    throw e;
                }
                return lease;
            }
            Holder holder = holder(key);
            if (holder == null) {
                continue; // released between our try and our look
            }
            if (!holder.stale(now(), properties) || System.nanoTime() - waitingSince > longest.toNanos()) {
                throw new CampaignHeldException("another run holds this campaign: " + holder.describe());
            }
            if (!told) {
                Duration left = Duration.between(now(), holder.expires()).plusSeconds(1);
                waiting.accept("The last run of this campaign (" + holder.describe() + ") has stopped renewing its lease; waiting up to "
                        + Math.max(1, left.toSeconds()) + " s for it to lapse before taking over.");
                told = true;
            }
            sleep(Duration.ofMillis(Math.min(1000, Math.max(100, properties.renewEvery().toMillis() / 4))));
        }
    }

    /** Whether the process with this client id holds any live lease: a line it claimed may still be in flight. */
    public boolean alive(String holderId) {
        if (holderId == null) {
            return false;
        }
        if (holderId.equals(clientId)) {
            return true;
        }
        Integer live = jdbc.queryForObject("SELECT COUNT(*) FROM INT_LOCK WHERE REGION = ? AND CLIENT_ID = ? AND EXPIRED_AFTER >= ?",
                Integer.class, REGION, holderId, Timestamp.valueOf(now()));
        return live != null && live > 0;
    }

    /** Who holds the campaign's lease now, or null when nobody does. */
    public Holder holder(String key) {
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT l.CLIENT_ID AS client, l.EXPIRED_AFTER AS expires, h.host AS host,"
                + " h.pid AS pid, h.started_at AS since FROM INT_LOCK l LEFT JOIN kb_holder h ON h.client_id = TRIM(l.CLIENT_ID)"
                + " WHERE l.REGION = ? AND l.LOCK_KEY = ?", REGION, UUIDConverter.getUUID(key).toString());
        if (rows.isEmpty()) {
            return null;
        }
        Map<String, Object> row = rows.get(0);
        LocalDateTime expires = ((Timestamp) row.get("expires")).toLocalDateTime();
        if (expires.isBefore(now())) {
            return null;
        }
        return new Holder(String.valueOf(row.get("client")).strip(), (String) row.get("host"),
                row.get("pid") == null ? null : ((Number) row.get("pid")).longValue(),
                row.get("since") == null ? null : ((Timestamp) row.get("since")).toLocalDateTime(), expires);
    }

    /**
     * A lease's holder.
     *
     * @param expires when the lease lapses unless renewed (UTC)
     */
    public record Holder(String clientId, String host, Long pid, LocalDateTime since, LocalDateTime expires) {

        String describe() {
            return (host == null ? "an unknown machine" : host) + ", pid " + (pid == null ? "unknown" : pid)
                    + (since == null ? "" : ", since " + since.withNano(0) + " UTC");
        }

        /**
         * Whether its process looks gone: on this machine its pid is not running; elsewhere it has missed two renewals.
         * A stale lease is waited for until it lapses, never broken.
         */
        boolean stale(LocalDateTime now, LeaseProperties properties) {
            if (host != null && host.equals(hostName()) && pid != null && ProcessHandle.of(pid).isEmpty()) {
                return true;
            }
            LocalDateTime lastRenewal = expires.minus(properties.ttl());
            return lastRenewal.isBefore(now.minus(properties.renewEvery().multipliedBy(2)));
        }
    }

    /** Synchronized: the scheduler takes several leases at once in one process, all under its one client id. */
    private synchronized void register(String campaign) {
        registered = true;
        jdbc.update("DELETE FROM kb_holder WHERE client_id = ?", clientId);
        jdbc.update("INSERT INTO kb_holder (client_id, host, pid, campaign, started_at) VALUES (?, ?, ?, ?, ?)", clientId, hostName(),
                ProcessHandle.current().pid(), campaign, Timestamp.valueOf(now()));
    }

    /**
     * One renewal, one statement: the lock repository's own {@code renew}, not the registry's, which retries without end
     * while the database is unreachable, so a run would never learn that its lease is lapsing.
     */
    private void renew(String key, Duration ttl) {
        if (!repository.renew(UUIDConverter.getUUID(key).toString(), ttl)) {
            throw new IllegalStateException("the lease of " + key + " is no longer ours");
        }
    }

    /**
     * A lease whose release hung (the database was gone) leaves its lock taken in the registry's memory, for this key
     * only; the next run in this process (the scheduler's) gets a new registry rather than wait on it. The lock's row
     * lapses in the database by itself.
     */
    private void replace(JdbcLockRegistry stuck) {
        if (registry == stuck) {
            registry = new JdbcLockRegistry(repository, properties.ttl());
        }
    }

    private void forget() {
        // kb_holder stays: the process may hold other leases (the scheduler); a stale line only names a past holder
    }

    /** The wall clock, in UTC, as Spring Integration's lock repository writes it (not the injected test clock). */
    private static LocalDateTime now() {
        return LocalDateTime.now(ZoneOffset.UTC);
    }

    /** This machine's name, as lease holders and ledger lines record it. */
    public static String hostName() {
        String fromEnv = System.getenv("HOSTNAME");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.strip();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CampaignHeldException("interrupted while waiting for another run's lease to lapse");
        }
    }

    @Override
    public void destroy() {
        if (!registered) {
            return; // status, report, validate: nothing of theirs to delete, and no connection to wait for
        }
        try {
            jdbc.update("DELETE FROM kb_holder WHERE client_id = ?", clientId);
        } catch (RuntimeException ignored) {
            // the database may be gone; the line only names a past holder
        }
    }
}
