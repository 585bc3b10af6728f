package io.klingbatch;

import io.klingbatch.cli.KlingBatchCli;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The Spring application behind the command line.
 *
 * <p>{@code main} hands the arguments to picocli, never to Spring: settings come from the environment,
 * {@code -D} system properties or job files, so {@code --spring.x=y} is not a thing here. The Spring context
 * is started only by commands that need it ({@code --help} does not), which also keeps the CLI from firing
 * inside {@code @SpringBootTest}.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class KlingBatchApplication {

    public static void main(String[] args) {
        System.exit(KlingBatchCli.execute(args));
    }
}
