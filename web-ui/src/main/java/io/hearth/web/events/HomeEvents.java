package io.hearth.web.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.core.binding.Binding;
import io.hearth.core.binding.PairingStatus;
import io.hearth.core.device.DeviceId;
import io.hearth.core.lifecycle.Health;
import io.hearth.core.lifecycle.HubComponent;
import io.hearth.shadow.ShadowDocument;
import io.hearth.shadow.ShadowName;
import io.hearth.shadow.ShadowService;
import io.hearth.shadow.device.DeviceRegistry;
import io.hearth.web.PairingJson;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live events of the home, as JSON texts for the UI: a device's state after each committed
 * shadow change, devices added, described anew or removed (registry fields, without state),
 * availability, and pairing progress.
 *
 * <p>State comes from the shadow service's listener, so no committed change is missed. The device
 * registry and the bindings tell no one when they change, so they are looked at twice a second and
 * compared with the previous look; a pairing window counts down each second anyway.
 */
@Singleton
public final class HomeEvents implements HubComponent {

    static final long LOOK_EVERY_MILLIS = 500;
    /** A quiet home sends nothing for hours; this keeps the connection from being closed as idle. */
    static final long KEEPALIVE_EVERY_MILLIS = 30_000;
    private static final String KEEPALIVE = "{\"type\":\"keepalive\"}";
    private static final Logger LOG = LoggerFactory.getLogger(HomeEvents.class);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final DeviceRegistry registry;
    private final List<Binding> bindings;
    private final ObjectMapper json;
    private final Set<Consumer<String>> subscribers = ConcurrentHashMap.newKeySet();
    private final DeviceWatch watch = new DeviceWatch();
    private final Map<String, PairingStatus> lastPairing = new HashMap<>();
    private volatile ScheduledExecutorService looker;

    public HomeEvents(ShadowService shadows, DeviceRegistry registry, List<Binding> bindings,
                      ObjectMapper json) {
        this.registry = registry;
        this.bindings = List.copyOf(bindings);
        this.json = json;
        // Registered now, before any component starts, like every other listener of the shadows.
        shadows.addListener(this::shadowChanged);
    }

    @Override
    public String name() {
        return "events";
    }

    @Override
    public int startOrder() {
        return SHADOWS + 20;
    }

    @Override
    public boolean essential() {
        return false;
    }

    @Override
    public void start() {
        ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "home-events");
            thread.setDaemon(true);
            return thread;
        });
        started.scheduleWithFixedDelay(this::look, LOOK_EVERY_MILLIS, LOOK_EVERY_MILLIS, TimeUnit.MILLISECONDS);
        started.scheduleWithFixedDelay(() -> send(KEEPALIVE), KEEPALIVE_EVERY_MILLIS, KEEPALIVE_EVERY_MILLIS,
                TimeUnit.MILLISECONDS);
        looker = started;
        if (!subscribers.isEmpty()) {
            // Someone connected while the hub was starting: take their baseline now.
            started.execute(() -> watch.next(registry.all()));
        }
    }

    @Override
    public void stop() {
        ScheduledExecutorService current = looker;
        looker = null;
        if (current != null) {
            current.shutdownNow();
            try {
                current.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        subscribers.clear();
    }

    @Override
    public Health health() {
        return looker == null ? Health.starting() : Health.up(Map.of("listeners", subscribers.size()));
    }

    /** Sends every later event to {@code subscriber} until the returned action is run. */
    public Runnable subscribe(Consumer<String> subscriber) {
        boolean first = subscribers.isEmpty();
        subscribers.add(subscriber);
        ScheduledExecutorService current = looker;
        if (first && current != null) {
            // The baseline, taken only once someone looks (comparing 10,000 devices at start-up
            // would slow it for nobody): earlier changes are in the list the newcomer fetches.
            current.execute(() -> watch.next(registry.all()));
        }
        return () -> subscribers.remove(subscriber);
    }

    private void shadowChanged(ShadowName name, ShadowDocument previous, ShadowDocument current) {
        if (current == null || !name.isClassic() || DeviceId.problem(name.thing()) != null || subscribers.isEmpty()) {
            return;
        }
        ObjectNode event = NODES.objectNode().put("type", "state").put("id", name.thing()).put("version", current.version());
        event.set("reported", current.reported() == null ? NODES.objectNode() : current.reported());
        event.set("desired", current.desired() == null ? NODES.objectNode() : current.desired());
        publish(event);
    }

    private void look() {
        if (subscribers.isEmpty()) {
            // Comparing every device twice a second costs the hub a little all day; skip it unwatched.
            return;
        }
        try {
            for (DeviceWatch.Change change : watch.next(registry.all())) {
                tell(change);
            }
            for (Binding binding : bindings) {
                PairingStatus status = binding.pairingStatus();
                if (!status.equals(lastPairing.put(binding.id(), status))) {
                    ObjectNode event = NODES.objectNode().put("type", "pairing");
                    event.setAll(PairingJson.of(status));
                    publish(event);
                }
            }
        } catch (RuntimeException e) {
            // One bad look must not end the looking.
            LOG.warn("Watching the devices failed: {}", e.toString());
        }
    }

    private void tell(DeviceWatch.Change change) {
        if (change instanceof DeviceWatch.Removed removed) {
            publish(NODES.objectNode().put("type", "removed").put("id", removed.id()));
        } else if (change instanceof DeviceWatch.Availability availability) {
            ObjectNode event = NODES.objectNode().put("type", "availability").put("id", availability.id());
            if (availability.online() == null) {
                event.putNull("online");
            } else {
                event.put("online", availability.online());
            }
            event.put("lastSeen", availability.lastSeen() == 0 ? null
                    : Instant.ofEpochMilli(availability.lastSeen()).toString());
            publish(event);
        } else {
            // The registry's fields only: reading the shadow here would be a shadow request of its own
            // (counted in the shadow service's figures) made for nobody in particular. State travels in
            // 'state' events, and a client that does not know the device yet fetches it.
            registry.find(DeviceId.of(change.id())).ifPresent(record -> {
                ObjectNode event = NODES.objectNode().put("type", "device");
                ObjectNode device = event.putObject("device").put("id", record.id().value()).put("name", record.displayName())
                        .put("room", record.room()).put("binding", record.binding());
                if (record.online() == null) {
                    device.putNull("online");
                } else {
                    device.put("online", record.online());
                }
                device.put("lastSeen", record.lastSeen() == 0 ? null : Instant.ofEpochMilli(record.lastSeen()).toString());
                device.set("capabilities", json.valueToTree(record.capabilities()));
                publish(event);
            });
        }
    }

    private void publish(ObjectNode event) {
        send(event.toString());
    }

    private void send(String text) {
        for (Consumer<String> subscriber : subscribers) {
            try {
                subscriber.accept(text);
            } catch (RuntimeException e) {
                LOG.debug("An event listener failed: {}", e.toString());
            }
        }
    }
}
