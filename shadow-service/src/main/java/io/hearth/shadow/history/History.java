package io.hearth.shadow.history;

import io.hearth.core.config.HearthConfig;
import io.hearth.core.device.DeviceId;
import io.hearth.core.lifecycle.Health;
import io.hearth.core.lifecycle.HubComponent;
import io.hearth.core.store.Store;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reported values over time ({@code shadow_history}), for charts. The shadow service writes the
 * points with the documents; this reads them back and keeps the table bounded: once an hour, points
 * older than a day are rolled up to one per property and quarter hour (the mean of numbers;
 * for booleans, whether they were true at all) and points older than the retention are deleted.
 */
@Singleton
public final class History implements HubComponent {

    /** At most this many points per answer; a chart has no use for more. */
    public static final int MAX_POINTS = 10_000;
    static final long ROLLUP_AGE_MILLIS = Duration.ofDays(1).toMillis();
    static final long BUCKET_MILLIS = Duration.ofMinutes(15).toMillis();

    private static final Logger LOG = LoggerFactory.getLogger(History.class);

    private final Store store;
    private final long retentionMillis;
    private volatile ScheduledExecutorService housekeeping;

    public History(Store store, HearthConfig config) {
        this.store = store;
        this.retentionMillis = Duration.ofDays(config.history().retentionDays()).toMillis();
    }

    @Override
    public String name() {
        return "history";
    }

    @Override
    public int startOrder() {
        return SHADOWS + 30;
    }

    @Override
    public boolean essential() {
        return false;
    }

    @Override
    public void start() {
        housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "history-housekeeping");
            thread.setDaemon(true);
            return thread;
        });
        housekeeping.scheduleWithFixedDelay(() -> compact(System.currentTimeMillis()), 1, 60, TimeUnit.MINUTES);
    }

    @Override
    public void stop() {
        ScheduledExecutorService current = housekeeping;
        if (current != null) {
            current.shutdownNow();
            housekeeping = null;
        }
    }

    @Override
    public Health health() {
        return housekeeping == null ? Health.starting() : Health.up(Map.of("retentionDays", retentionMillis / 86_400_000L));
    }

    /** The points of {@code property} since {@code sinceMillis}, oldest first, at most {@link #MAX_POINTS} (the newest). */
    public List<HistoryPoint> points(DeviceId device, String property, long sinceMillis) throws SQLException {
        try (Connection connection = store.dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT t, v, is_bool FROM shadow_history "
                     + "WHERE device_id = ? AND property = ? AND t >= ? ORDER BY t DESC, seq DESC LIMIT " + MAX_POINTS)) {
            select.setString(1, device.value());
            select.setString(2, property);
            select.setLong(3, sinceMillis);
            List<HistoryPoint> points = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    points.add(new HistoryPoint(device.value(), property, rows.getLong(1), rows.getDouble(2),
                            rows.getBoolean(3)));
                }
            }
            java.util.Collections.reverse(points);
            return points;
        }
    }

    /** Forgets every point of a removed device. */
    public void forget(DeviceId device) throws SQLException {
        try (Connection connection = store.dataSource().getConnection();
             PreparedStatement delete = connection.prepareStatement("DELETE FROM shadow_history WHERE device_id = ?")) {
            delete.setString(1, device.value());
            delete.executeUpdate();
        }
    }

    /** Rolls up and deletes old points as of {@code nowMillis}; returns the rows removed. */
    public int compact(long nowMillis) {
        long rollupBefore = (nowMillis - ROLLUP_AGE_MILLIS) / BUCKET_MILLIS * BUCKET_MILLIS;
        try (Connection connection = store.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            int removed;
            try (PreparedStatement rollup = connection.prepareStatement(
                         "INSERT INTO shadow_history (device_id, property, t, v, is_bool, rollup) "
                                 + "SELECT device_id, property, t - MOD(t, " + BUCKET_MILLIS + ") AS bucket, "
                                 + "CASE WHEN is_bool THEN MAX(v) ELSE AVG(v) END, is_bool, TRUE FROM shadow_history "
                                 + "WHERE NOT rollup AND t < ? GROUP BY device_id, property, is_bool, bucket");
                 PreparedStatement dropRaw = connection.prepareStatement(
                         "DELETE FROM shadow_history WHERE NOT rollup AND t < ?");
                 // By (rollup, t), so that the index finds the rows: "WHERE t < ?" alone would read the whole table.
                 PreparedStatement expire = connection.prepareStatement(
                         "DELETE FROM shadow_history WHERE rollup = ? AND t < ?")) {
                rollup.setLong(1, rollupBefore);
                int buckets = rollup.executeUpdate();
                dropRaw.setLong(1, rollupBefore);
                removed = dropRaw.executeUpdate() - buckets;
                for (boolean rolledUp : new boolean[] {true, false}) {
                    expire.setBoolean(1, rolledUp);
                    expire.setLong(2, nowMillis - retentionMillis);
                    removed += expire.executeUpdate();
                }
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            }
            return removed;
        } catch (SQLException e) {
            LOG.warn("Old history could not be compacted: {}", e.getMessage());
            return 0;
        }
    }
}
