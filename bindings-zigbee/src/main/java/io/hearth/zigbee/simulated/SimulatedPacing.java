package io.hearth.zigbee.simulated;

import com.zsmartsystems.zigbee.ZigBeeNetworkManager;
import com.zsmartsystems.zigbee.transaction.ZigBeeTransactionManager;
import com.zsmartsystems.zigbee.transaction.ZigBeeTransactionProfile;
import java.lang.reflect.Field;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets the stack send to simulated devices back to back.
 *
 * <p>The library spaces transactions to one node by a short delay and relies on a timer to send
 * the next one. When several nodes are busy at once that timer can be lost (the next release time
 * of a queue that waits for an answer counts as "now", which suppresses the timer for all queues),
 * and queued requests then wait for unrelated traffic - seconds, with five devices interviewing at
 * once. Radio buffers are what the delay protects, and the simulated radio has none, so for it the
 * delay is set to zero, which makes the timer unnecessary. The transaction manager is not reachable
 * through the public API, hence the reflection; if it fails, the simulation is only slower.
 */
public final class SimulatedPacing {

    private static final Logger LOG = LoggerFactory.getLogger(SimulatedPacing.class);

    private SimulatedPacing() {
    }

    public static void apply(ZigBeeNetworkManager manager) {
        try {
            Field field = ZigBeeNetworkManager.class.getDeclaredField("transactionManager");
            field.setAccessible(true);
            ZigBeeTransactionManager transactions = (ZigBeeTransactionManager) field.get(manager);
            transactions.setDefaultProfile(new ZigBeeTransactionProfile(2, 1, 0));
            transactions.setSleepyProfile(new ZigBeeTransactionProfile(2, 1, 0));
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("Simulated network keeps the library's transaction pacing: {}", e.toString());
        }
    }
}
