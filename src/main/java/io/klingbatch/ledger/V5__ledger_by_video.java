package io.klingbatch.ledger;

import io.klingbatch.segmind.SegmindProperties;
import java.sql.Connection;
import java.sql.Statement;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.springframework.stereotype.Component;

/**
 * Version 5 of the schema: the lines of the first ledger ({@code kb_ledger}, keyed by output folder) move into
 * {@code kb_video} (keyed by what was paid for), so an upgrade pays nothing again. The old table is kept, renamed
 * {@code kb_ledger_v1}, for audit. Its real lines did not record the API's address: they are taken to be of the one
 * configured now ({@code segmind.base-url}).
 */
@Component
class V5__ledger_by_video extends BaseJavaMigration {

    private final SegmindProperties segmind;

    V5__ledger_by_video(SegmindProperties segmind) {
        this.segmind = segmind;
    }

    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        if (!LegacyLedger.hasTable(connection, "kb_ledger")) {
            return;
        }
        LegacyLedger.copy(connection, connection, Endpoint.of(segmind.baseUrl()).id(), Leases.hostName());
        try (Statement statement = connection.createStatement()) {
            statement.execute("ALTER TABLE kb_ledger RENAME TO kb_ledger_v1");
        }
    }
}
