package io.hearth.zigbee.simulated;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.LongFunction;

/**
 * Answers ZigBee Device Object requests the way a device's stack would, building the response
 * payloads byte by byte per the ZigBee specification (section 2.4.4). Requests carry the
 * transaction sequence number first; every response echoes it.
 */
final class ZdoResponder {

    static final int NWK_ADDRESS = 0x0000;
    static final int IEEE_ADDRESS = 0x0001;
    static final int NODE_DESCRIPTOR = 0x0002;
    static final int POWER_DESCRIPTOR = 0x0003;
    static final int SIMPLE_DESCRIPTOR = 0x0004;
    static final int ACTIVE_ENDPOINTS = 0x0005;
    static final int BIND = 0x0021;
    static final int UNBIND = 0x0022;
    static final int MANAGEMENT_LQI = 0x0031;
    static final int MANAGEMENT_ROUTING = 0x0032;
    static final int MANAGEMENT_LEAVE = 0x0034;
    static final int MANAGEMENT_PERMIT_JOINING = 0x0036;
    static final int RESPONSE = 0x8000;

    private static final int SUCCESS = 0x00;
    private static final int DEVICE_NOT_FOUND = 0x81;
    private static final int NOT_ACTIVE = 0x83;
    private static final int NOT_SUPPORTED = 0x84;

    /** A response to send: from which node, on which cluster, with what payload. */
    record Reply(int sourceNwk, int cluster, int[] payload) {
    }

    private final IntFunction<SimulatedDevice> byNwk;
    private final LongFunction<SimulatedDevice> byIeee;

    ZdoResponder(IntFunction<SimulatedDevice> byNwk, LongFunction<SimulatedDevice> byIeee) {
        this.byNwk = byNwk;
        this.byIeee = byIeee;
    }

    /**
     * The answer of {@code target} (null for a broadcast) to a request, or null when nobody answers.
     *
     * @throws IndexOutOfBoundsException when the request is too short (a bad frame)
     */
    Reply answer(SimulatedDevice target, int cluster, int[] request) {
        int seq = request[0];
        switch (cluster) {
            case NWK_ADDRESS -> {
                SimulatedDevice device = byIeee.apply(readLong(request, 1));
                if (device == null || (target != null && target != device)) {
                    return null;
                }
                return new Reply(device.nwk(), cluster | RESPONSE, addressResponse(seq, device, request[9]));
            }
            case IEEE_ADDRESS -> {
                SimulatedDevice device = byNwk.apply(readShort(request, 1));
                return device == null ? null
                        : new Reply(device.nwk(), cluster | RESPONSE, addressResponse(seq, device, request[3]));
            }
            default -> {
                if (target == null) {
                    return null;
                }
                return new Reply(target.nwk(), cluster | RESPONSE, unicast(target, cluster, seq, request));
            }
        }
    }

    private int[] unicast(SimulatedDevice target, int cluster, int seq, int[] request) {
        return switch (cluster) {
            case NODE_DESCRIPTOR -> concat(new int[] {seq, SUCCESS, target.nwk() & 0xFF, target.nwk() >> 8},
                    target.nodeDescriptor());
            case POWER_DESCRIPTOR -> concat(new int[] {seq, SUCCESS, target.nwk() & 0xFF, target.nwk() >> 8},
                    target.powerDescriptor());
            case ACTIVE_ENDPOINTS -> {
                List<Integer> ids = target.endpointIds();
                int[] head = {seq, SUCCESS, target.nwk() & 0xFF, target.nwk() >> 8, ids.size()};
                yield concat(head, ids.stream().mapToInt(Integer::intValue).toArray());
            }
            case SIMPLE_DESCRIPTOR -> simpleDescriptor(target, seq, request[3]);
            case BIND, UNBIND, MANAGEMENT_LEAVE, MANAGEMENT_PERMIT_JOINING -> new int[] {seq, SUCCESS};
            // An empty neighbour or routing table: the simulated mesh is a star.
            case MANAGEMENT_LQI, MANAGEMENT_ROUTING -> new int[] {seq, SUCCESS, 0, request[1], 0};
            default -> new int[] {seq, NOT_SUPPORTED};
        };
    }

    private static int[] addressResponse(int seq, SimulatedDevice device, int requestType) {
        List<Integer> bytes = new ArrayList<>(List.of(seq, SUCCESS));
        long ieee = device.ieee();
        for (int i = 0; i < 8; i++) {
            bytes.add((int) (ieee >>> (8 * i)) & 0xFF);
        }
        bytes.add(device.nwk() & 0xFF);
        bytes.add(device.nwk() >> 8);
        if (requestType == 1) {
            // Extended response: no associated devices are listed (see the README on why).
            bytes.add(0);
            bytes.add(0);
        }
        return bytes.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int[] simpleDescriptor(SimulatedDevice target, int seq, int endpointId) {
        SimulatedEndpoint endpoint = target.endpoint(endpointId);
        if (endpoint == null) {
            return new int[] {seq, NOT_ACTIVE, target.nwk() & 0xFF, target.nwk() >> 8, 0};
        }
        List<Integer> body = new ArrayList<>(List.of(endpointId,
                SimulatedEndpoint.HOME_AUTOMATION & 0xFF, SimulatedEndpoint.HOME_AUTOMATION >> 8,
                endpoint.deviceType() & 0xFF, endpoint.deviceType() >> 8, 0));
        body.add(endpoint.inputIds().size());
        endpoint.inputIds().forEach(id -> {
            body.add(id & 0xFF);
            body.add(id >> 8);
        });
        body.add(endpoint.outputIds().size());
        endpoint.outputIds().forEach(id -> {
            body.add(id & 0xFF);
            body.add(id >> 8);
        });
        int[] head = {seq, SUCCESS, target.nwk() & 0xFF, target.nwk() >> 8, body.size()};
        return concat(head, body.stream().mapToInt(Integer::intValue).toArray());
    }

    static long readLong(int[] bytes, int offset) {
        long value = 0;
        for (int i = 7; i >= 0; i--) {
            value = value << 8 | (bytes[offset + i] & 0xFF);
        }
        return value;
    }

    static int readShort(int[] bytes, int offset) {
        return (bytes[offset] & 0xFF) | (bytes[offset + 1] & 0xFF) << 8;
    }

    private static int[] concat(int[] a, int[] b) {
        int[] joined = new int[a.length + b.length];
        System.arraycopy(a, 0, joined, 0, a.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }
}
