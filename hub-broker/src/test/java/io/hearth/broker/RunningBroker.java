package io.hearth.broker;

import io.hearth.broker.persistence.BrokerStore;
import io.hearth.core.store.Journal;
import io.hearth.broker.routing.AccessPolicy;
import io.hearth.broker.session.SessionRegistry;
import io.hearth.core.config.AclRule;
import io.hearth.core.config.HearthConfig;
import io.hearth.core.config.MqttConfig;
import io.hearth.core.store.DataDir;
import io.hearth.core.store.Store;
import io.hearth.core.testing.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A broker listening on a free loopback port with its own H2 database in a temporary data dir,
 * for tests. Closing it stops the listener and the database and deletes the data dir.
 */
public final class RunningBroker implements AutoCloseable {

    public final Broker broker;
    public final MqttListeners listeners;
    public final Journal journal;
    public final SessionRegistry sessions = new SessionRegistry();
    public final int port;
    public final int tlsPort;
    public final int websocketPort;
    public final Path dataDir;
    private final MqttConfig config;
    private final Store store;

    private RunningBroker(MqttConfig config, Path dataDir) throws Exception {
        this.config = config;
        this.dataDir = dataDir;
        store = new Store(DataDir.prepare(dataDir), List.of(BrokerStore.MIGRATIONS));
        store.start();
        journal = store.journal();
        broker = new Broker(new AccessPolicy(config.acl()), new BrokerStore(journal));
        listeners = new MqttListeners(HearthConfig.defaults().withMqtt(config), broker, sessions, store);
        port = config.port();
        tlsPort = config.tlsPort();
        websocketPort = config.websocketPort();
        listeners.start();
    }

    /** Anonymous clients allowed, as in development; with these configured rules. */
    public static RunningBroker open(List<AclRule> acl) throws Exception {
        return new RunningBroker(new MqttConfig(FreePorts.next(), FreePorts.next(), FreePorts.next(), true, 60, 1_048_576, 16, 100, 10_000, acl,
                0, MqttConfig.DEFAULT_MAX_QOS0_BACKLOG), newDataDir());
    }

    /** Anonymous clients allowed; each session keeps at most {@code maxQueuedMessages} for an absent client. */
    public static RunningBroker withQueueQuota(int maxQueuedMessages) throws Exception {
        return new RunningBroker(new MqttConfig(FreePorts.next(), FreePorts.next(), FreePorts.next(), true, 60, 1_048_576, 16, 100,
                maxQueuedMessages, List.of(), 0, MqttConfig.DEFAULT_MAX_QOS0_BACKLOG), newDataDir());
    }

    /** Anonymous clients allowed; QoS 0 to a client is dropped once {@code bytes} wait to be written to it. */
    public static RunningBroker withQos0Backlog(int bytes) throws Exception {
        return new RunningBroker(new MqttConfig(FreePorts.next(), 0, 0, true, 60, 1_048_576, 16, 100, 10_000, List.of(),
                0, bytes), newDataDir());
    }

    /** Anonymous clients allowed; each address may open {@code perSecond} connections a second. */
    public static RunningBroker withConnectRateLimit(int perSecond) throws Exception {
        return new RunningBroker(new MqttConfig(FreePorts.next(), 0, 0, true, 60, 1_048_576, 16, 100, 10_000, List.of(),
                perSecond, MqttConfig.DEFAULT_MAX_QOS0_BACKLOG), newDataDir());
    }

    public static RunningBroker open() throws Exception {
        return open(List.of());
    }

    /** The shipped default: no anonymous clients. */
    public static RunningBroker closedToAnonymous() throws Exception {
        return new RunningBroker(new MqttConfig(FreePorts.next(), 0, 0, false, 60, 1_048_576, 16, 100, 10_000, List.of()), newDataDir());
    }

    /** Stops this broker cleanly and starts a new one on the same port and data dir, as after a restart. */
    public RunningBroker restart() throws Exception {
        shutDown();
        return new RunningBroker(config, dataDir);
    }

    public String tcp() {
        return "tcp://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        shutDown();
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void shutDown() {
        listeners.stop();
        store.stop();
    }

    private static Path newDataDir() throws IOException {
        return Files.createTempDirectory("hearth-broker-test");
    }
}
