package io.hearth.cloud.policy;

import io.hearth.core.cloud.DevicePermission;
import io.hearth.core.cloud.RemoteAccess;
import io.hearth.core.device.Capability;
import io.hearth.core.device.DeviceId;
import io.hearth.core.store.Journal;
import io.hearth.shadow.device.DeviceRecord;
import io.hearth.shadow.device.DeviceRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * The owner's per-device choice of what the cloud may see and change ({@code cloud_device_policy}).
 * Without a choice, every device is visible and remote control is allowed for devices with at least
 * one writable state key; read-only devices (sensors, meters) cannot be controlled from the cloud.
 */
public final class RemotePolicy implements RemoteAccess {

    private final DeviceRegistry registry;
    private final Journal journal;
    private final Map<DeviceId, DevicePermission> chosen = new ConcurrentHashMap<>();
    private final List<Consumer<DevicePermission>> listeners = new CopyOnWriteArrayList<>();

    public RemotePolicy(DeviceRegistry registry, Journal journal) {
        this.registry = registry;
        this.journal = journal;
    }

    public void load(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT device_id, visible, control FROM cloud_device_policy");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                if (DeviceId.problem(rows.getString(1)) == null) {
                    DeviceId id = DeviceId.of(rows.getString(1));
                    chosen.put(id, new DevicePermission(id, rows.getBoolean(2), rows.getBoolean(3), true));
                }
            }
        }
    }

    /** Told of every change the owner makes, after it is stored. */
    public void addListener(Consumer<DevicePermission> listener) {
        listeners.add(listener);
    }

    /** The permission in force for {@code device}: the owner's choice or the default. */
    @Override
    public DevicePermission of(DeviceId device) {
        DevicePermission choice = chosen.get(device);
        return choice != null ? choice : defaultFor(device);
    }

    /** The permission of every known device, in the registry's order. */
    @Override
    public List<DevicePermission> all() {
        List<DevicePermission> all = new ArrayList<>();
        for (DeviceRecord device : registry.all()) {
            all.add(of(device.id()));
        }
        return all;
    }

    /**
     * Stores the owner's choice. Remote control of a hidden device makes no sense, so {@code control}
     * is stored as false when {@code visible} is false. Completes once the choice is durable.
     */
    @Override
    public CompletableFuture<DevicePermission> set(DeviceId device, boolean visible, boolean control) {
        DevicePermission permission = new DevicePermission(device, visible, visible && control, true);
        return journal.submit(connection -> {
            try (PreparedStatement merge = connection.prepareStatement(
                    "MERGE INTO cloud_device_policy KEY (device_id) VALUES (?, ?, ?)")) {
                merge.setString(1, device.value());
                merge.setBoolean(2, permission.visible());
                merge.setBoolean(3, permission.control());
                merge.executeUpdate();
            }
        }).thenApply(stored -> {
            DevicePermission before = of(device);
            chosen.put(device, permission);
            if (before.visible() != permission.visible() || before.control() != permission.control()) {
                listeners.forEach(listener -> listener.accept(permission));
            }
            return permission;
        });
    }

    /** Forgets the owner's choice, so the defaults apply again. */
    @Override
    public CompletableFuture<DevicePermission> reset(DeviceId device) {
        return journal.submit(connection -> {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM cloud_device_policy WHERE device_id = ?")) {
                delete.setString(1, device.value());
                delete.executeUpdate();
            }
        }).thenApply(stored -> {
            DevicePermission before = of(device);
            chosen.remove(device);
            DevicePermission now = of(device);
            if (before.visible() != now.visible() || before.control() != now.control()) {
                listeners.forEach(listener -> listener.accept(now));
            }
            return now;
        });
    }

    private DevicePermission defaultFor(DeviceId device) {
        boolean actuator = registry.find(device)
                .map(record -> record.capabilities().stream().anyMatch(Capability::writable))
                .orElse(false);
        return new DevicePermission(device, true, actuator, false);
    }
}
