package io.hearth.shadow.device;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.core.device.Capability;
import io.hearth.core.device.DeviceId;
import io.hearth.core.lifecycle.Health;
import io.hearth.core.lifecycle.HubComponent;
import io.hearth.core.store.Journal;
import io.hearth.core.store.Store;
import io.hearth.shadow.DesiredStateRules;
import io.hearth.shadow.ShadowName;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The devices of the home ({@code device_registry}): what each device says about itself, the
 * homeowner's name and room for it, and whether it is online. Held in memory and written behind
 * through the store's journal (many devices appear at once when a network is first seen). Last-seen
 * times change with every report, so they are written once a minute rather than each time.
 */
@Singleton
public final class DeviceRegistry implements HubComponent, DesiredStateRules {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceRegistry.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectReader CAPABILITIES_READER = JSON.readerFor(new TypeReference<List<Capability>>() { });

    private final Store store;
    /**
     * Last-seen times per transaction, and the pause between two such transactions while the hub
     * runs: the shadow updates queued meanwhile commit on their own instead of waiting for a slice.
     */
    private static final int SIGHTINGS_PER_WRITE = 50;
    private static final long SIGHTINGS_PAUSE_MILLIS = 10;

    private final Journal journal;
    private final Map<DeviceId, DeviceRecord> devices = new ConcurrentHashMap<>();
    private final Set<DeviceId> unsavedSightings = ConcurrentHashMap.newKeySet();
    private volatile ScheduledExecutorService flusher;

    public DeviceRegistry(Store store) {
        this.store = store;
        this.journal = store.journal();
    }

    @Override
    public String name() {
        return "devices";
    }

    @Override
    public int startOrder() {
        return SHADOWS - 10;
    }

    @Override
    public void start() throws SQLException {
        try (Connection connection = store.dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT id, name, room, described_name, binding, "
                     + "capabilities, online, last_seen, created_at FROM device_registry");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                DeviceId id = DeviceId.of(rows.getString(1));
                boolean online = rows.getBoolean(7);
                Boolean known = rows.wasNull() ? null : online; // asked right after column 7, not after a later read
                devices.put(id, new DeviceRecord(id, rows.getString(2), rows.getString(3), rows.getString(4),
                        rows.getString(5), capabilities(rows.getString(6)), known, rows.getLong(8), rows.getLong(9)));
            }
        }
        flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "device-registry");
            thread.setDaemon(true);
            return thread;
        });
        flusher.scheduleWithFixedDelay(this::saveSightings, 60, 60, TimeUnit.SECONDS);
    }

    @Override
    public void stop() {
        ScheduledExecutorService current = flusher;
        if (current != null) {
            flusher = null;
            current.shutdown();
            try {
                current.awaitTermination(3, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            saveSightings();
            journal.flush();
        }
    }

    @Override
    public Health health() {
        return flusher == null ? Health.starting() : Health.up(Map.of("devices", devices.size()));
    }

    public List<DeviceRecord> all() {
        List<DeviceRecord> all = new ArrayList<>(devices.values());
        all.sort(Comparator.comparing(DeviceRecord::displayName, String.CASE_INSENSITIVE_ORDER)
                .thenComparing(DeviceRecord::id));
        return all;
    }

    public Optional<DeviceRecord> find(DeviceId id) {
        return Optional.ofNullable(devices.get(id));
    }

    /** Records a device the first time it shows up (its first shadow update or description). */
    public CompletableFuture<Void> ensure(DeviceId id) {
        DeviceRecord created = new DeviceRecord(id, null, null, null, null, List.of(), null, 0, System.currentTimeMillis());
        return devices.putIfAbsent(id, created) == null ? save(created) : CompletableFuture.completedFuture(null);
    }

    /** What the device (or its binding) says about itself; the homeowner's name and room stay. */
    public CompletableFuture<Void> describe(DeviceId id, String describedName, String binding, List<Capability> capabilities) {
        ensure(id);
        DeviceRecord updated = devices.computeIfPresent(id, (key, record) -> record.withDescription(describedName, binding,
                capabilities));
        return updated == null ? CompletableFuture.completedFuture(null) : save(updated);
    }

    /** Sets the homeowner's name and room; null leaves a field as it is, an empty string clears it. */
    public Optional<DeviceRecord> rename(DeviceId id, String name, String room) {
        DeviceRecord updated = devices.computeIfPresent(id, (key, record) -> record.withNames(
                name == null ? record.name() : name.isBlank() ? null : name.strip(),
                room == null ? record.room() : room.isBlank() ? null : room.strip()));
        if (updated != null) {
            save(updated).join();
        }
        return Optional.ofNullable(updated);
    }

    /**
     * Notes whether the device is online. Only a device saying it is online now counts as seen: going
     * offline is said by someone else after a silence, and a stored "online" replayed at start-up is
     * old news, so both keep the time the device was last seen.
     */
    public void availability(DeviceId id, boolean online, boolean saidNow) {
        long seen = online && saidNow ? System.currentTimeMillis() : 0;
        DeviceRecord updated = devices.computeIfPresent(id, (key, record) -> record.withAvailability(online, seen));
        if (updated != null) {
            save(updated);
        }
    }

    /** Notes that the device reported something now. */
    public void seen(DeviceId id) {
        if (devices.computeIfPresent(id, (key, record) -> record.seenAt(System.currentTimeMillis())) != null) {
            unsavedSightings.add(id);
        }
    }

    public CompletableFuture<Void> forget(DeviceId id) {
        devices.remove(id);
        unsavedSightings.remove(id);
        return write(connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM device_registry WHERE id = ?")) {
                delete.setString(1, id.value());
                delete.executeUpdate();
            }
        });
    }

    /**
     * Refuses desired keys the device does not have, cannot write, or values outside a key's range.
     * Devices that declared no capabilities (plain MQTT devices) accept anything.
     */
    @Override
    public String problemWith(ShadowName name, ObjectNode desired) {
        if (!name.isClassic() || DeviceId.problem(name.thing()) != null) {
            return null;
        }
        DeviceRecord device = devices.get(DeviceId.of(name.thing()));
        if (device == null || device.capabilities().isEmpty()) {
            return null;
        }
        for (Map.Entry<String, JsonNode> field : desired.properties()) {
            if (field.getValue().isNull()) {
                continue;
            }
            Capability capability = device.capability(field.getKey());
            if (capability == null) {
                return "Desired key '" + field.getKey() + "' is not a state of " + device.displayName();
            }
            if (!capability.writable()) {
                return "Desired key '" + field.getKey() + "' is read-only: " + device.displayName() + " only reports it";
            }
            String problem = capability.problemWith(field.getValue());
            if (problem != null) {
                return "Desired key '" + field.getKey() + "' is invalid: " + problem;
            }
        }
        return null;
    }

    /**
     * Writes the last-seen times of devices seen since the last time, a small slice at a time with
     * pauses between (none when the hub stops): a large home's thousands of times in one go would
     * hold up every write queued behind them.
     */
    private void saveSightings() {
        List<DeviceId> seen = List.copyOf(unsavedSightings);
        for (int from = 0; from < seen.size(); from += SIGHTINGS_PER_WRITE) {
            if (from > 0 && flusher != null) {
                try {
                    Thread.sleep(SIGHTINGS_PAUSE_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            List<DeviceId> slice = seen.subList(from, Math.min(seen.size(), from + SIGHTINGS_PER_WRITE));
            slice.forEach(unsavedSightings::remove);
            try {
                write(connection -> {
                    try (PreparedStatement update = connection.prepareStatement(
                            "UPDATE device_registry SET last_seen = ? WHERE id = ?")) {
                        for (DeviceId id : slice) {
                            DeviceRecord record = devices.get(id);
                            if (record != null) {
                                update.setLong(1, record.lastSeen());
                                update.setString(2, id.value());
                                update.addBatch();
                            }
                        }
                        update.executeBatch();
                    }
                }).get(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                return; // logged by write(); the next round tries again with what is seen then
            }
        }
    }

    private CompletableFuture<Void> save(DeviceRecord record) {
        String capabilities = capabilitiesJson(record.capabilities());
        return write(connection -> {
            try (PreparedStatement merge = connection.prepareStatement(
                    "MERGE INTO device_registry KEY (id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                merge.setString(1, record.id().value());
                merge.setString(2, record.name());
                merge.setString(3, record.room());
                merge.setString(4, record.describedName());
                merge.setString(5, record.binding());
                merge.setString(6, capabilities);
                if (record.online() == null) {
                    merge.setNull(7, Types.BOOLEAN);
                } else {
                    merge.setBoolean(7, record.online());
                }
                merge.setLong(8, record.lastSeen());
                merge.setLong(9, record.createdAt());
                merge.executeUpdate();
            }
        });
    }

    private CompletableFuture<Void> write(Journal.Change change) {
        return journal.submit(change).whenComplete((ok, failure) -> {
            if (failure != null) {
                LOG.warn("The device registry could not be saved: {}", failure.getMessage());
            }
        });
    }

    private static String capabilitiesJson(List<Capability> capabilities) {
        try {
            return JSON.writeValueAsString(capabilities);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("capabilities cannot be written as JSON", e);
        }
    }

    private static List<Capability> capabilities(String json) throws SQLException {
        if (json == null || json.equals("[]")) {
            // Most devices speak MQTT themselves and describe nothing: no parse for them at start-up.
            return List.of();
        }
        try {
            return CAPABILITIES_READER.readValue(json);
        } catch (JsonProcessingException e) {
            throw new SQLException("stored capabilities are not valid: " + e.getOriginalMessage(), e);
        }
    }
}
