package io.hearth.zigbee.network;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sql.DataSource;

/** Keeps the one network this hub formed (table {@code zigbee_network}). */
public final class NetworkSettingsStore {

    private final Supplier<DataSource> dataSource;

    public NetworkSettingsStore(Supplier<DataSource> dataSource) {
        this.dataSource = dataSource;
    }

    public Optional<NetworkSettings> load() throws SQLException {
        try (Connection c = dataSource.get().getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT channel, pan_id, extended_pan_id, network_key FROM zigbee_network WHERE id = 1");
             ResultSet r = s.executeQuery()) {
            if (!r.next()) {
                return Optional.empty();
            }
            return Optional.of(new NetworkSettings(r.getInt(1), r.getInt(2), r.getString(3), r.getString(4)));
        }
    }

    public void save(NetworkSettings settings) throws SQLException {
        try (Connection c = dataSource.get().getConnection(); PreparedStatement s = c.prepareStatement(
                "MERGE INTO zigbee_network KEY (id) VALUES (1, ?, ?, ?, ?, ?)")) {
            s.setInt(1, settings.channel());
            s.setInt(2, settings.panId());
            s.setString(3, settings.extendedPanId());
            s.setString(4, settings.networkKey());
            s.setObject(5, Instant.now().atOffset(ZoneOffset.UTC));
            s.executeUpdate();
        }
    }
}
