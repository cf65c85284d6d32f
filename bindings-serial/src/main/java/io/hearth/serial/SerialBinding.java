package io.hearth.serial;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.core.binding.Binding;
import io.hearth.core.binding.BindingException;
import io.hearth.core.binding.PairingStatus;
import io.hearth.core.bus.Bus;
import io.hearth.core.bus.BusClient;
import io.hearth.core.bus.Qos;
import io.hearth.core.config.HearthConfig;
import io.hearth.core.config.SerialGateway;
import io.hearth.core.device.DeviceId;
import io.hearth.core.lifecycle.Health;
import io.hearth.core.lifecycle.HealthStatus;
import io.hearth.core.lifecycle.HubComponent;
import io.hearth.core.store.Store;
import io.hearth.serial.device.Delta;
import io.hearth.serial.device.DeviceChannel;
import io.hearth.serial.dsmr.DsmrMeter;
import io.hearth.serial.lines.LineDevice;
import io.hearth.serial.link.Backoff;
import io.hearth.serial.link.PortSettings;
import io.hearth.serial.link.SerialLink;
import io.hearth.serial.mysensors.MySensorsGateway;
import io.hearth.serial.mysensors.NodeBook;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The serial binding: opens every gateway in {@code hearth.serial.gateways} and proxies its
 * devices over the bus. A gateway whose port is missing does not stop the hub; it keeps retrying
 * and shows as down in the binding's health.
 */
@Singleton
public final class SerialBinding implements Binding, HubComponent {

    private static final Logger LOG = LoggerFactory.getLogger(SerialBinding.class);
    private static final String DELTAS = "$aws/things/+/shadow/update/delta";

    private final List<SerialGateway> configured;
    private final Bus bus;
    private final Store store;
    private final Backoff backoff;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    private final PairingWindow pairing;
    private volatile List<Gateway> gateways = List.of();
    private volatile BusClient client;

    @Inject
    public SerialBinding(HearthConfig config, Bus bus, Store store) {
        this(config.serial().gateways(), bus, store, Backoff.DEFAULT);
    }

    public SerialBinding(List<SerialGateway> gateways, Bus bus, Store store, Backoff backoff) {
        this(gateways, bus, store, backoff, Clock.systemUTC());
    }

    /** @param clock what node silences and the pairing window are measured with (tests move it by hand) */
    public SerialBinding(List<SerialGateway> gateways, Bus bus, Store store, Backoff backoff, Clock clock) {
        this.configured = List.copyOf(gateways);
        this.bus = bus;
        this.store = store;
        this.backoff = backoff;
        this.clock = clock;
        this.pairing = new PairingWindow(clock);
    }

    @Override
    public String id() {
        return DeviceChannel.BINDING;
    }

    @Override
    public String name() {
        return "serial";
    }

    @Override
    public int startOrder() {
        return BINDINGS;
    }

    @Override
    public boolean essential() {
        return false;
    }

    @Override
    public void start() throws Exception {
        if (configured.isEmpty()) {
            return;
        }
        client = bus.connect("serial");
        DeviceChannel devices = new DeviceChannel(client, json);
        NodeBook book = new NodeBook(store.dataSource());
        List<Gateway> started = new ArrayList<>();
        for (SerialGateway config : configured) {
            GatewayProtocol protocol = switch (config.protocol()) {
                case MYSENSORS -> new MySensorsGateway(config.id(), book, devices, pairing, clock,
                        Duration.ofMinutes(config.offlineAfterMinutes()));
                case DSMR -> new DsmrMeter(config.id(), devices);
                case LINES -> new LineDevice(config, devices, json);
            };
            Gateway gateway = new Gateway(config, new SerialLink(config.id(), PortSettings.of(config), backoff, protocol), protocol);
            started.add(gateway);
        }
        gateways = List.copyOf(started);
        client.subscribe(DELTAS, Qos.AT_LEAST_ONCE, message -> Delta.parse(message.topic(), message.payload(), json)
                .ifPresent(this::route)).toCompletableFuture().get(10, TimeUnit.SECONDS);
        gateways.forEach(Gateway::start);
        LOG.info("Serial binding started with {} gateway(s)", gateways.size());
    }

    /** Runs on a broker thread: only hands the delta over. */
    private void route(Delta delta) {
        for (Gateway gateway : gateways) {
            if (gateway.protocol().owns(delta.device())) {
                gateway.protocol().handle(delta);
                return;
            }
        }
    }

    @Override
    public void stop() {
        List<Gateway> running = gateways;
        gateways = List.of();
        running.forEach(Gateway::stop);
        BusClient current = client;
        client = null;
        if (current != null) {
            current.close();
        }
    }

    @Override
    public Health health() {
        if (configured.isEmpty()) {
            return Health.disabled("no serial gateways are configured (hearth.serial.gateways)");
        }
        List<Gateway> running = gateways;
        if (running.isEmpty()) {
            return Health.starting();
        }
        Map<String, Object> details = new LinkedHashMap<>();
        List<String> down = new ArrayList<>();
        for (Gateway gateway : running) {
            details.put(gateway.config().id(), gateway.details());
            if (!gateway.connected()) {
                down.add(gateway.config().id() + " (" + gateway.link().port() + ")");
            }
        }
        if (down.isEmpty()) {
            return Health.up(details);
        }
        return new Health(HealthStatus.DOWN, "serial gateway " + String.join(", ", down)
                + " is not connected; check the adapter is plugged in. Retrying by itself.", details);
    }

    @Override
    public PairingStatus startPairing(Duration duration) {
        return pairing.open(duration);
    }

    @Override
    public PairingStatus stopPairing() {
        return pairing.close();
    }

    @Override
    public PairingStatus pairingStatus() {
        return pairing.status();
    }

    @Override
    public void remove(DeviceId device) throws BindingException {
        for (Gateway gateway : gateways) {
            if (gateway.protocol().owns(device)) {
                gateway.protocol().remove(device);
                return;
            }
        }
        throw new BindingException(device + " is not a serial device");
    }
}
