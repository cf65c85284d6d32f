package io.hearth.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ports for tests to listen on. The kernel may hand the same free port to two probes in a row, so a hub
 * could be given one port for both MQTT and HTTP; every port given out here is remembered and never given again.
 */
public final class FreePorts {

    private static final Set<Integer> GIVEN = ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    /** A port nobody listened on a moment ago, and that no earlier call in this JVM returned. */
    public static int next() {
        for (int attempt = 0; attempt < 1_000; attempt++) {
            try (ServerSocket probe = new ServerSocket(0)) {
                if (GIVEN.add(probe.getLocalPort())) {
                    return probe.getLocalPort();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no unused free port after 1,000 probes");
    }
}
