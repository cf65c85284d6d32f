package io.hearth.installer;

import io.hearth.core.store.Migrations;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;

/**
 * A data dir as the previous schema left it, made by the real migration scripts stopped one step
 * short where a module has a newer step (broker at 2 of 3, cloud at 1 of 2), then filled through that
 * schema: a persistent session of "keeper" with two undelivered messages and a retained message.
 */
final class PreviousSchema {

    static final Map<String, String> BEHIND = Map.of("broker", "2", "cloud", "1");
    private static final List<String> MODULES = List.of("auth", "broker", "cloud", "core", "serial", "shadow", "zigbee");

    private PreviousSchema() {
    }

    static void create(Path dataDir) throws SQLException {
        // As the hub opens it: without H2's compaction on close, which can leave H2 2.3.232 a file
        // that no longer opens ("Double mark"); the store turns it off for the same reason.
        String url = "jdbc:h2:file:" + dataDir.resolve("hearth").toAbsolutePath() + ";MAX_COMPACT_TIME=0";
        for (String module : MODULES) {
            Migrations migrations = new Migrations(module);
            var configuration = Flyway.configure(PreviousSchema.class.getClassLoader())
                    .dataSource(url, "hearth", "")
                    .locations(migrations.location())
                    .table(migrations.historyTable())
                    .baselineOnMigrate(true)
                    .baselineVersion("0");
            if (BEHIND.containsKey(module)) {
                configuration.target(BEHIND.get(module));
            }
            configuration.load().migrate();
        }
        try (Connection connection = DriverManager.getConnection(url, "hearth", "");
             Statement sql = connection.createStatement()) {
            sql.execute("INSERT INTO broker_session (client_id, identity, expiry_seconds) VALUES ('keeper', 'anonymous', 3600)");
            sql.execute("INSERT INTO broker_subscription (client_id, share_group, filter, qos, no_local, retain_as_published, "
                    + "retain_handling, identifier) VALUES ('keeper', '', 'house/#', 1, FALSE, FALSE, 0, 0)");
            // Version 2's key: (client_id, seq). Version 3 renumbers messages hub-wide and must keep their order.
            sql.execute("INSERT INTO broker_message (client_id, seq, topic, payload, qos, retain) VALUES "
                    + "('keeper', 7, 'house/door', X'6f70656e', 1, FALSE), ('keeper', 9, 'house/window', X'73687574', 1, FALSE)");
            sql.execute("INSERT INTO broker_retained (topic, payload, qos, payload_format) VALUES ('house/lights', X'6f6e', 0, 1)");
        }
    }
}
