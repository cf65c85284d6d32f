package io.hearth.zigbee;

import io.hearth.broker.Broker;
import io.hearth.broker.MqttListeners;
import io.hearth.broker.persistence.BrokerStore;
import io.hearth.broker.routing.AccessPolicy;
import io.hearth.broker.session.SessionRegistry;
import io.hearth.core.config.HearthConfig;
import io.hearth.core.config.MqttConfig;
import io.hearth.core.config.ZigbeeConfig;
import io.hearth.core.store.DataDir;
import io.hearth.core.store.Store;
import io.hearth.zigbee.dongle.TransportFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The embedded broker (no sockets), the store and the Zigbee binding on a temporary data dir, wired
 * as the hub wires them. Closing it stops everything and deletes the data dir.
 */
final class HubUnderTest implements AutoCloseable {

    final Path dataDir;
    final Store store;
    final Broker broker;
    final ZigbeeBinding zigbee;
    private final MqttListeners listeners;
    private final boolean ownsDataDir;

    private HubUnderTest(Path dataDir, boolean ownsDataDir, BindingOptions options, TransportFactory transports)
            throws Exception {
        this.dataDir = dataDir;
        this.ownsDataDir = ownsDataDir;
        store = new Store(DataDir.prepare(dataDir), List.of(BrokerStore.MIGRATIONS, ZigbeeBinding.MIGRATIONS));
        store.start();
        MqttConfig mqtt = MqttConfig.defaults().withPorts(0, 0, 0).withAllowAnonymous(true);
        broker = new Broker(new AccessPolicy(List.of()), new BrokerStore(store.journal()));
        listeners = new MqttListeners(HearthConfig.defaults().withMqtt(mqtt), broker, new SessionRegistry(), store);
        listeners.start();
        zigbee = new ZigbeeBinding(ZigbeeConfig.defaults(), broker, store::dataSource, options, transports);
        zigbee.start();
    }

    static HubUnderTest start(BindingOptions options) throws Exception {
        return new HubUnderTest(Files.createTempDirectory("hearth-zigbee-test"), true, options, null);
    }

    static HubUnderTest start(BindingOptions options, TransportFactory transports) throws Exception {
        return new HubUnderTest(Files.createTempDirectory("hearth-zigbee-test"), true, options, transports);
    }

    /** Stops everything and starts it again on the same data dir, as after a restart of the hub. */
    HubUnderTest restart(BindingOptions options) throws Exception {
        shutDown();
        return new HubUnderTest(dataDir, ownsDataDir, options, null);
    }

    @Override
    public void close() {
        shutDown();
        if (ownsDataDir) {
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private void shutDown() {
        zigbee.stop();
        listeners.stop();
        store.stop();
    }
}
