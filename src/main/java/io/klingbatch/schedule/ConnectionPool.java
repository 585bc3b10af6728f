package io.klingbatch.schedule;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Sizes the job repository's connection pool from the concurrency of the runs in progress, so a team's machines fit in
 * PostgreSQL's connections (100 by default, 97 for ordinary users). Connections are taken only while a statement runs (see
 * {@code LazyConnections}): a worker holds at most one, for milliseconds, between paid calls of minutes. A process therefore
 * opens at most its runs' workers plus {@value #SPARE} (the lease's renewal, the job's own bookkeeping, v2's pollers), and never more than
 * {@code spring.datasource.hikari.maximum-pool-size} (8): ten machines take at most 80. Without a run (status, validate) the
 * pool keeps that maximum; idle, it keeps {@code minimum-idle} (1) open.
 */
@Component
public class ConnectionPool {

    private static final Logger log = LoggerFactory.getLogger(ConnectionPool.class);
    static final int SPARE = 3;

    private final HikariDataSource hikari;
    private final int most;
    private int workers;

    ConnectionPool(DataSource dataSource) {
        this.hikari = unwrap(dataSource);
        this.most = hikari == null ? 0 : hikari.getMaximumPoolSize();
    }

    /** Makes room for a run of {@code concurrency} workers until the returned handle is closed. */
    public synchronized Reservation reserve(int concurrency) {
        workers += concurrency;
        resize();
        return new Reservation(concurrency);
    }

    /** The most connections the pool may open now (0 when it is not a Hikari pool). */
    public synchronized int size() {
        return hikari == null ? 0 : hikari.getHikariConfigMXBean().getMaximumPoolSize();
    }

    private void resize() {
        if (hikari == null) {
            return;
        }
        int size = workers == 0 ? most : Math.min(most, workers + SPARE);
        if (size != hikari.getHikariConfigMXBean().getMaximumPoolSize()) {
            hikari.getHikariConfigMXBean().setMaximumPoolSize(size);
            log.debug("connection pool: at most {} connections for {} workers", size, workers);
        }
    }

    private synchronized void release(int concurrency) {
        workers -= concurrency;
        resize();
    }

    private static HikariDataSource unwrap(DataSource dataSource) {
        try {
            return dataSource.isWrapperFor(HikariDataSource.class) ? dataSource.unwrap(HikariDataSource.class) : null;
        } catch (SQLException e) {
            return null;
        }
    }

    /** A run's share of the pool. */
    public final class Reservation implements AutoCloseable {
        private final int concurrency;
        private boolean released;

        private Reservation(int concurrency) {
            this.concurrency = concurrency;
        }

        @Override
        public void close() {
            synchronized (ConnectionPool.this) {
                if (!released) {
                    released = true;
                    release(concurrency);
                }
            }
        }
    }
}
