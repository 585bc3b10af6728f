package io.klingbatch.job;

import com.zaxxer.hikari.HikariDataSource;
import java.util.Locale;
import javax.sql.DataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.jdbc.datasource.LazyConnectionDataSourceProxy;
import org.springframework.stereotype.Component;

/**
 * How the job repository is connected to.
 *
 * <p>A connection is taken only when a statement runs, not when a transaction begins. A chunk transaction spans the paid
 * calls of its rows, minutes each; it needs the database only to record its progress at the end. With eager
 * connections every worker would hold one connection for minutes and need a second for each ledger write: at ten
 * workers the pool runs dry, and on PostgreSQL the idle transaction meets {@code idle_in_transaction_session_timeout}.
 * Lazily, a worker holds a connection only while it writes.
 *
 * <p>On PostgreSQL, a server that went away (restarted, network gone) must be noticed in seconds, not after the
 * operating system's TCP timeouts: connect and socket timeouts are set unless the URL sets its own.
 */
@Component
public class LazyConnections implements BeanPostProcessor {

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof HikariDataSource hikari && hikari.getJdbcUrl() != null
                && hikari.getJdbcUrl().toLowerCase(Locale.ROOT).startsWith("jdbc:postgresql:")) {
            String url = hikari.getJdbcUrl().toLowerCase(Locale.ROOT);
            setUnlessInUrl(hikari, url, "connectTimeout", "5");
            setUnlessInUrl(hikari, url, "socketTimeout", "30");
            setUnlessInUrl(hikari, url, "loginTimeout", "10");
            setUnlessInUrl(hikari, url, "tcpKeepAlive", "true");
        }
        return bean;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof DataSource dataSource && !(bean instanceof LazyConnectionDataSourceProxy)) {
            return new LazyConnectionDataSourceProxy(dataSource);
        }
        return bean;
    }

    private static void setUnlessInUrl(HikariDataSource hikari, String url, String property, String value) {
        if (!url.contains(property.toLowerCase(Locale.ROOT) + "=") && !hikari.getDataSourceProperties().containsKey(property)) {
            hikari.addDataSourceProperty(property, value);
        }
    }
}
