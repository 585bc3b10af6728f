package io.klingbatch;

import com.zaxxer.hikari.HikariDataSource;
import io.klingbatch.job.CampaignHistory;
import io.klingbatch.job.JobProperties;
import io.klingbatch.job.LazyConnections;
import io.klingbatch.job.SchemaVersion;
import io.klingbatch.ledger.FormerHome;
import io.klingbatch.ledger.LeaseProperties;
import io.klingbatch.ledger.Leases;
import io.klingbatch.ledger.Ledger;
import io.klingbatch.money.CostProperties;
import io.klingbatch.money.Prices;
import io.klingbatch.output.CampaignReporter;
import io.klingbatch.report.CampaignReports;
import io.klingbatch.request.CampaignChecks;
import io.klingbatch.request.RequestProperties;
import io.klingbatch.schedule.NotifyProperties;
import io.klingbatch.schedule.PostgresSchema;
import io.klingbatch.segmind.SegmindConfiguration;
import io.klingbatch.segmind.SegmindProperties;
import io.klingbatch.segmind.SimulatorProperties;
import javax.sql.DataSource;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.repository.support.JdbcJobRepositoryFactoryBean;
import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.support.PropertySourcesPlaceholderConfigurer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The small Spring application of the commands that only read what is known ({@code status}, {@code validate},
 * {@code report}): the job repository, the ledger and what reads them, and nothing of running a job.
 *
 * <p>Why: a profile of {@code status} in the full application spent most of its 4 to 5 seconds loading and wiring
 * what it never used: Flyway, Jackson, Hibernate Validator, Spring Batch's job and step wiring with their proxies, task
 * executors and schedulers, some 9,600 classes. Here the same components answer from some 6,700 classes, and the
 * DataSource is declared the way Boot's documentation shows for a custom one (bound from {@code spring.datasource.*}
 * and {@code spring.datasource.hikari.*}) instead of through the auto-configurations, whose condition evaluation alone
 * took a quarter of a second. {@code KlingBatchCli.startFor} starts it; the figures are in the README (bench startup).
 *
 * <p>Not a {@code @Configuration}, so the full application's component scan never picks it up; the beans listed are the
 * components of the full application, so a command answers alike in both (the command-line tests run these commands
 * here). Flyway is not here: a job repository that is behind, or new, is handed to the full application, which
 * migrates it ({@link #current}).
 */
@EnableConfigurationProperties({SegmindProperties.class, RequestProperties.class, LeaseProperties.class, CostProperties.class,
        JobProperties.class, SimulatorProperties.class, NotifyProperties.class}) // every setting checked, as in the full application
@Import({LazyConnections.class, PostgresSchema.class, SegmindConfiguration.class, FormerHome.class, Ledger.class, Leases.class,
        Prices.class, CampaignChecks.class, CampaignReporter.class, CampaignReports.class, CampaignHistory.class})
public class FactsApplication {

    /**
     * Settings are bound and checked at start even when beans are made only when used ({@code validate}, which must not
     * open a job repository that is not there): a setting that cannot be used is said by every command alike.
     */
    @Bean
    static LazyInitializationExcludeFilter settingsAtStart() {
        return (name, definition, type) -> type.isAnnotationPresent(ConfigurationProperties.class);
    }

    /** {@code ${kling.home}} and the like in {@code @Value}s. */
    @Bean
    static PropertySourcesPlaceholderConfigurer placeholders() {
        return new PropertySourcesPlaceholderConfigurer();
    }

    @Bean
    @ConfigurationProperties("spring.datasource")
    DataSourceProperties dataSourceProperties() {
        return new DataSourceProperties();
    }

    /** The same pool as the full application's: {@code spring.datasource.*}, then {@code spring.datasource.hikari.*}. */
    @Bean
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(DataSourceProperties properties) {
        return properties.initializeDataSourceBuilder().type(HikariDataSource.class).build();
    }

    @Bean
    JdbcTransactionManager transactionManager(DataSource dataSource) {
        return new JdbcTransactionManager(dataSource);
    }

    @Bean
    JdbcTemplate jdbcTemplate(DataSource dataSource) {
        return new JdbcTemplate(dataSource);
    }

    /**
     * Spring Batch's job repository alone, with the defaults the full application's auto-configuration gives it, and
     * without its transactional proxy: these commands only read it, one statement at a time, and the proxy's
     * transaction interceptor alone loads Reactor's adapters (some 270 classes).
     */
    @Bean
    JobRepository jobRepository(DataSource dataSource, PlatformTransactionManager transactionManager) throws Exception {
        ReadingJobRepository factory = new ReadingJobRepository();
        factory.setDataSource(dataSource);
        factory.setTransactionManager(transactionManager);
        factory.afterPropertiesSet();
        return factory.unproxied();
    }

    /** Whether this context can answer: the job repository is at the latest version (else the full one migrates it). */
    public static boolean current(ApplicationContext context) {
        return SchemaVersion.current(context.getBean(DataSource.class),
                context.getEnvironment().getProperty("spring.flyway.table", "flyway_schema_history"));
    }

    private static final class ReadingJobRepository extends JdbcJobRepositoryFactoryBean {
        JobRepository unproxied() throws Exception {
            return (JobRepository) getTarget();
        }
    }
}
