package io.hearth.zigbee.network;

import com.zsmartsystems.zigbee.ZigBeeNetworkManager;
import com.zsmartsystems.zigbee.ZigBeeStatus;
import com.zsmartsystems.zigbee.app.discovery.ZigBeeDiscoveryExtension;
import com.zsmartsystems.zigbee.app.iasclient.ZigBeeIasCieExtension;
import com.zsmartsystems.zigbee.security.ZigBeeKey;
import com.zsmartsystems.zigbee.serialization.DefaultDeserializer;
import com.zsmartsystems.zigbee.serialization.DefaultSerializer;
import com.zsmartsystems.zigbee.transport.ZigBeeTransportTransmit;
import io.hearth.zigbee.device.ClusterMapping;
import io.hearth.zigbee.simulated.SimulatedCoordinator;
import io.hearth.zigbee.simulated.SimulatedPacing;
import java.sql.SQLException;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings up the network manager on a coordinator: the first time it forms a new network with
 * freshly generated settings and keeps them; every later time it resumes that same network, so
 * devices stay paired across restarts.
 */
public final class ZigbeeNetwork {

    private static final Logger LOG = LoggerFactory.getLogger(ZigbeeNetwork.class);
    /**
     * The trust-centre link key every Zigbee 3.0 device knows ("ZigBeeAlliance09"); joining
     * devices need it to receive the network key. The network key itself is random per home.
     */
    private static final ZigBeeKey WELL_KNOWN_LINK_KEY = new ZigBeeKey("5A6967426565416C6C69616E63653039");

    private final H2NodeStore nodes;
    private final NetworkSettingsStore settingsStore;
    private final int configuredChannel;

    public ZigbeeNetwork(H2NodeStore nodes, NetworkSettingsStore settingsStore, int configuredChannel) {
        this.nodes = nodes;
        this.settingsStore = settingsStore;
        this.configuredChannel = configuredChannel;
    }

    /**
     * Starts a manager on {@code transport}. {@code beforeStartup} runs once the manager exists and
     * before any node is announced, so listeners miss nothing.
     */
    public ZigBeeNetworkManager start(ZigBeeTransportTransmit transport, Consumer<ZigBeeNetworkManager> beforeStartup)
            throws NetworkStartException {
        ZigBeeNetworkManager manager = new ZigBeeNetworkManager(transport);
        boolean started = false;
        try {
            manager.setNetworkDataStore(nodes);
            manager.setSerializer(DefaultSerializer.class, DefaultDeserializer.class);
            if (transport instanceof SimulatedCoordinator) {
                SimulatedPacing.apply(manager);
            }
            check(manager.initialize(), "the coordinator did not initialise");
            Optional<NetworkSettings> saved = settingsStore.load();
            NetworkSettings settings = saved.orElseGet(() -> NetworkSettings.generate(configuredChannel));
            manager.setZigBeeChannel(settings.zigbeeChannel());
            manager.setZigBeePanId(settings.panId());
            manager.setZigBeeExtendedPanId(settings.zigbeeExtendedPanId());
            manager.setZigBeeNetworkKey(settings.zigbeeNetworkKey());
            manager.setZigBeeLinkKey(WELL_KNOWN_LINK_KEY);
            for (ClusterMapping mapping : ClusterMapping.table()) {
                manager.addSupportedClientCluster(mapping.clusterId());
            }
            manager.addSupportedClientCluster(0x0000);
            manager.addSupportedClientCluster(ClusterMapping.IAS_ZONE);
            manager.addSupportedServerCluster(0x0000);
            manager.addExtension(new ZigBeeDiscoveryExtension());
            manager.addExtension(new ZigBeeIasCieExtension());
            beforeStartup.accept(manager);
            // Forming a network (reinitialize = true) writes the settings into the dongle; resuming
            // keeps the dongle's network, which is the one saved here.
            check(manager.startup(saved.isEmpty()), "the coordinator did not start the network");
            if (saved.isEmpty()) {
                settingsStore.save(settings);
                LOG.info("Formed a new Zigbee network: {}", settings);
            } else {
                LOG.info("Resumed the Zigbee network: {}", settings);
            }
            started = true;
            return manager;
        } catch (SQLException e) {
            throw new NetworkStartException("the network settings could not be read or saved: " + e.getMessage());
        } finally {
            if (!started) {
                stopQuietly(manager);
            }
        }
    }

    public static void stopQuietly(ZigBeeNetworkManager manager) {
        try {
            manager.shutdown();
        } catch (RuntimeException e) {
            LOG.debug("Zigbee shutdown: {}", e.toString());
        }
    }

    private static void check(ZigBeeStatus status, String what) throws NetworkStartException {
        if (status == ZigBeeStatus.COMMUNICATION_ERROR) {
            throw new NetworkStartException("the coordinator cannot be reached on its port: is the dongle plugged in, "
                    + "and may the hub's user open the port?");
        }
        if (status != ZigBeeStatus.SUCCESS) {
            throw new NetworkStartException(what + " (" + status + ")");
        }
    }
}
