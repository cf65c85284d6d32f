package io.hearth.shadow.device;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.core.binding.Binding;
import io.hearth.core.binding.BindingException;
import io.hearth.core.bus.Bus;
import io.hearth.core.bus.BusClient;
import io.hearth.core.bus.BusMessage;
import io.hearth.core.bus.Qos;
import io.hearth.core.device.DeviceId;
import io.hearth.core.device.DeviceTopics;
import io.hearth.shadow.ShadowDocument;
import io.hearth.shadow.ShadowException;
import io.hearth.shadow.ShadowName;
import io.hearth.shadow.ShadowService;
import io.hearth.shadow.history.History;
import io.hearth.shadow.history.HistoryPoint;
import jakarta.inject.Singleton;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The devices as the web UI and REST API use them: the registry joined with each device's shadow,
 * renaming, removal (through the device's binding where it has one) and the history of a value.
 */
@Singleton
public final class DeviceService {

    /** Longest name or room accepted, in characters. */
    public static final int MAX_LABEL = 100;

    private final DeviceRegistry registry;
    private final ShadowService shadows;
    private final History history;
    private final List<Binding> bindings;
    private final Bus bus;

    public DeviceService(DeviceRegistry registry, ShadowService shadows, History history, List<Binding> bindings, Bus bus) {
        this.registry = registry;
        this.shadows = shadows;
        this.history = history;
        this.bindings = List.copyOf(bindings);
        this.bus = bus;
    }

    public CompletableFuture<List<DeviceView>> list() {
        List<DeviceRecord> records = registry.all();
        List<ShadowName> names = records.stream().map(r -> ShadowName.classic(r.id().value())).toList();
        return shadows.documents(names).thenApply(documents -> {
            List<DeviceView> views = new ArrayList<>(records.size());
            for (DeviceRecord record : records) {
                views.add(view(record, documents.get(ShadowName.classic(record.id().value()))));
            }
            return views;
        });
    }

    public CompletableFuture<Optional<DeviceView>> find(DeviceId id) {
        Optional<DeviceRecord> record = registry.find(id);
        if (record.isEmpty()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        ShadowName name = ShadowName.classic(id.value());
        return shadows.documents(List.of(name)).thenApply(documents -> Optional.of(view(record.get(), documents.get(name))));
    }

    /**
     * Sets the homeowner's name and room (null leaves one unchanged, blank clears it).
     *
     * @throws IllegalArgumentException naming the field when a value is too long or has control characters
     */
    public CompletableFuture<Optional<DeviceView>> rename(DeviceId id, String name, String room) {
        checkLabel("name", name);
        checkLabel("room", room);
        if (registry.rename(id, name, room).isEmpty()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return find(id);
    }

    /**
     * Removes a device: its binding lets it leave, then its shadows, history, registry entry and
     * retained topics go. Returns false when there is no such device.
     */
    public boolean remove(DeviceId id) throws BindingException {
        Optional<DeviceRecord> record = registry.find(id);
        if (record.isEmpty()) {
            return false;
        }
        for (Binding binding : bindings) {
            if (binding.id().equals(record.get().binding())) {
                binding.remove(id);
            }
        }
        List<ShadowName> names = new ArrayList<>(shadows.shadowsOf(id.value()));
        for (ShadowName name : names) {
            try {
                shadows.delete(name, new byte[0]).join();
            } catch (CompletionException e) {
                if (!(e.getCause() instanceof ShadowException refused) || refused.error().code() != 404) {
                    throw e;
                }
            }
        }
        try {
            history.forget(id);
        } catch (SQLException e) {
            throw new IllegalStateException("the history of " + id + " could not be deleted: " + e.getMessage(), e);
        }
        registry.forget(id).join();
        try (BusClient client = bus.connect("shadow-service")) {
            for (String topic : List.of(DeviceTopics.state(id), DeviceTopics.info(id), DeviceTopics.availability(id))) {
                client.publish(BusMessage.of(topic, new byte[0], Qos.AT_LEAST_ONCE, true)).toCompletableFuture().join();
            }
        }
        return true;
    }

    /** The values of {@code property} since {@code since}, oldest first; empty when the device is unknown. */
    public Optional<List<HistoryPoint>> history(DeviceId id, String property, Instant since) throws SQLException {
        if (registry.find(id).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(history.points(id, property, since.toEpochMilli()));
    }

    private static DeviceView view(DeviceRecord record, ShadowDocument document) {
        ObjectNode empty = JsonNodeFactory.instance.objectNode();
        ObjectNode reported = document == null || document.reported() == null ? empty : document.reported();
        ObjectNode desired = document == null || document.desired() == null ? empty : document.desired();
        String lastSeen = record.lastSeen() == 0 ? null : Instant.ofEpochMilli(record.lastSeen()).toString();
        return new DeviceView(record.id().value(), record.displayName(), record.room(), record.binding(), record.online(),
                lastSeen, record.capabilities(), reported, desired);
    }

    private static void checkLabel(String field, String value) {
        if (value == null) {
            return;
        }
        if (value.length() > MAX_LABEL) {
            throw new IllegalArgumentException(field + " must be at most " + MAX_LABEL + " characters");
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(field + " must not contain control characters");
        }
    }
}
