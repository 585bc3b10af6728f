package io.klingbatch.ledger;

import io.klingbatch.segmind.SegmindProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Earlier versions kept the job repository in {@code .kling-batch/} under the working directory, so a run from
 * another directory knew nothing of what was paid. That folder, found where a command runs, is not ignored: its ledger
 * is imported into the one in use (paying nothing again for what it knew), and the folder is renamed
 * {@code .kling-batch.imported} so it is imported once.
 */
@Component
public class FormerHome {

    private static final Logger log = LoggerFactory.getLogger(FormerHome.class);
    static final String FOLDER = ".kling-batch";

    private final DataSource dataSource;
    private final Path home;
    private final SegmindProperties segmind;

    FormerHome(DataSource dataSource, @Value("${kling.home}") String home, SegmindProperties segmind) {
        this.dataSource = dataSource;
        this.home = Path.of(home).toAbsolutePath().normalize();
        this.segmind = segmind;
    }

    /** Imports {@code <workingDirectory>/.kling-batch} if there is one (and it is not the home in use): a sentence to say, or empty. */
    public Optional<String> importFrom(Path workingDirectory) {
        Path former = workingDirectory.resolve(FOLDER).toAbsolutePath().normalize();
        Path database = former.resolve("kling-batch.mv.db");
        if (!Files.isRegularFile(database) || sameFolder(former, home)) {
            return Optional.empty();
        }
        int copied;
        String url = "jdbc:h2:file:" + former.resolve("kling-batch") + ";IFEXISTS=TRUE;ACCESS_MODE_DATA=r";
        try (Connection from = DriverManager.getConnection(url, "sa", ""); Connection to = dataSource.getConnection()) {
            boolean autoCommit = to.getAutoCommit();
            to.setAutoCommit(false);
            try {
                copied = LegacyLedger.copy(from, to, Endpoint.of(segmind.baseUrl()).id(), Leases.hostName());
                to.commit();
            } catch (SQLException | RuntimeException e) {
                to.rollback();
                throw e;
            } finally {
                to.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            log.warn("could not import the ledger in {}", former, e);
            return Optional.of("Note: found an earlier job repository in " + former + " but could not read it (" + e.getMessage()
                    .lines().findFirst().orElse("") + "); it is left as it is.");
        }
        Path renamed = unused(former.resolveSibling(FOLDER + ".imported"));
        try {
            Files.move(former, renamed);
        } catch (IOException e) {
            return Optional.of("Imported " + copied + " video(s) from the job repository in " + former + " into " + home
                    + ", but could not rename that folder (" + e.getMessage() + "); it will be read again next time, paying nothing again.");
        }
        return Optional.of("Imported " + copied + " video(s) from the earlier job repository in " + former + " into " + home
                + "; that folder is now " + renamed.getFileName() + ".");
    }

    private static boolean sameFolder(Path a, Path b) {
        try {
            return Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return a.equals(b);
        }
    }

    private static Path unused(Path candidate) {
        Path path = candidate;
        for (int n = 2; Files.exists(path); n++) {
            path = candidate.resolveSibling(candidate.getFileName() + "." + n);
        }
        return path;
    }
}
