package io.hearth.broker.session;

import io.hearth.core.bus.BusMessage;
import java.util.List;

/** The wire a session writes to while its client is connected. */
public interface Outbound {

    /** Sends a PUBLISH; {@code packetId} is 0 for QoS 0. */
    void publish(int packetId, BusMessage message, List<Integer> subscriptionIds, boolean duplicate);

    /** Sends a PUBREL for an outgoing QoS 2 message the client has received. */
    void release(int packetId);

    /** False while the connection's send buffer is full: the client is reading slower than we send. */
    boolean writable();

    /** About how many bytes are written to the connection but not yet sent. */
    long unsentBytes();

    /** Another connection took over the client id: tell the client why and close. */
    void takenOver();

    /** The client's identity was revoked: tell the client why and close. */
    void revoked();
}
