package io.klingbatch.job;

import javax.sql.DataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.jdbc.datasource.LazyConnectionDataSourceProxy;
import org.springframework.stereotype.Component;

/**
 * Takes a database connection only when a statement runs, not when a transaction begins.
 *
 * <p>A chunk transaction spans the paid calls of its rows, minutes each; it needs the database only to record its
 * progress at the end. With eager connections every worker would hold one connection for minutes and need a
 * second for each ledger write: at ten workers the pool runs dry, and on PostgreSQL the idle transaction meets
 * {@code idle_in_transaction_session_timeout}. Lazily, a worker holds a connection only while it writes.
 */
@Component
class LazyConnections implements BeanPostProcessor {

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof DataSource dataSource && !(bean instanceof LazyConnectionDataSourceProxy)) {
            return new LazyConnectionDataSourceProxy(dataSource);
        }
        return bean;
    }
}
