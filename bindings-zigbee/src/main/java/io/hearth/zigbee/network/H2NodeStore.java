package io.hearth.zigbee.network;

import com.zsmartsystems.zigbee.IeeeAddress;
import com.zsmartsystems.zigbee.database.ZigBeeNetworkDataStore;
import com.zsmartsystems.zigbee.database.ZigBeeNodeDao;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stack's node database on the hub's H2 store (table {@code zigbee_node}). The library calls it
 * from its own threads and has no way to hear about failures, so they are logged and counted
 * rather than thrown.
 */
public final class H2NodeStore implements ZigBeeNetworkDataStore {

    private static final Logger LOG = LoggerFactory.getLogger(H2NodeStore.class);

    private final Supplier<DataSource> dataSource;
    private final NodeRecordCodec codec = new NodeRecordCodec();
    private final AtomicLong failures = new AtomicLong();

    public H2NodeStore(Supplier<DataSource> dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Set<IeeeAddress> readNetworkNodes() {
        Set<IeeeAddress> nodes = new HashSet<>();
        try (Connection c = dataSource.get().getConnection();
             PreparedStatement s = c.prepareStatement("SELECT ieee_address FROM zigbee_node");
             ResultSet r = s.executeQuery()) {
            while (r.next()) {
                nodes.add(new IeeeAddress(r.getString(1)));
            }
        } catch (SQLException | RuntimeException e) {
            failed("listing nodes", e);
        }
        return nodes;
    }

    @Override
    public ZigBeeNodeDao readNode(IeeeAddress address) {
        try (Connection c = dataSource.get().getConnection();
             PreparedStatement s = c.prepareStatement("SELECT record FROM zigbee_node WHERE ieee_address = ?")) {
            s.setString(1, address.toString());
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? codec.read(r.getString(1)) : null;
            }
        } catch (SQLException | java.io.IOException | RuntimeException e) {
            failed("reading node " + address, e);
            return null;
        }
    }

    @Override
    public void writeNode(ZigBeeNodeDao node) {
        try (Connection c = dataSource.get().getConnection();
             PreparedStatement s = c.prepareStatement("MERGE INTO zigbee_node KEY (ieee_address) VALUES (?, ?, ?)")) {
            s.setString(1, node.getIeeeAddress().toString());
            s.setString(2, codec.write(node));
            s.setObject(3, Instant.now().atOffset(ZoneOffset.UTC));
            s.executeUpdate();
        } catch (SQLException | RuntimeException e) {
            failed("writing node " + node.getIeeeAddress(), e);
        }
    }

    @Override
    public void removeNode(IeeeAddress address) {
        try (Connection c = dataSource.get().getConnection();
             PreparedStatement s = c.prepareStatement("DELETE FROM zigbee_node WHERE ieee_address = ?")) {
            s.setString(1, address.toString());
            s.executeUpdate();
        } catch (SQLException | RuntimeException e) {
            failed("removing node " + address, e);
        }
    }

    /** How many reads or writes failed since the start; shown in the binding's health. */
    public long failures() {
        return failures.get();
    }

    private void failed(String what, Exception e) {
        failures.incrementAndGet();
        LOG.warn("Zigbee node store: {} failed: {}", what, e.getMessage());
    }
}
