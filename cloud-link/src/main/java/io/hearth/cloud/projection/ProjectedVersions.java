package io.hearth.cloud.projection;

import io.hearth.core.store.Journal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * The last version of each shadow handed to the outbox ({@code cloud_projected}). After downtime
 * the link compares it with the local versions and queues only what changed, so a restart or a
 * link flap never turns into a full resync of every shadow.
 */
final class ProjectedVersions {

    private final Journal journal;
    private final Map<String, Long> versions = new ConcurrentHashMap<>();

    ProjectedVersions(Journal journal) {
        this.journal = journal;
    }

    void load(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT shadow_key, version FROM cloud_projected");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                versions.put(rows.getString(1), rows.getLong(2));
            }
        }
    }

    Long of(String key) {
        return versions.get(key);
    }

    void record(String key, long version) {
        Long before = versions.put(key, version);
        if (before != null && before == version) {
            return;
        }
        journal.submit(connection -> {
            try (PreparedStatement merge = connection.prepareStatement(
                    "MERGE INTO cloud_projected KEY (shadow_key) VALUES (?, ?)")) {
                merge.setString(1, key);
                merge.setLong(2, version);
                merge.executeUpdate();
            }
        });
    }
}
