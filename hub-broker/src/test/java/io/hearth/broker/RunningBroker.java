package io.hearth.broker;

import io.hearth.broker.routing.AccessPolicy;
import io.hearth.broker.session.SessionRegistry;
import io.hearth.core.config.AclRule;
import io.hearth.core.config.HearthConfig;
import io.hearth.core.config.MqttConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.List;

/** A broker listening on a free loopback port, for tests; closing it stops the listener. */
public final class RunningBroker implements AutoCloseable {

    public final Broker broker;
    public final MqttListeners listeners;
    public final int port;

    private RunningBroker(MqttConfig config) throws Exception {
        broker = new Broker(new AccessPolicy(config.acl()));
        listeners = new MqttListeners(HearthConfig.defaults().withMqtt(config), broker, new SessionRegistry());
        port = config.port();
        listeners.start();
    }

    /** Anonymous clients allowed, as in development; with these configured rules. */
    public static RunningBroker open(List<AclRule> acl) throws Exception {
        return new RunningBroker(new MqttConfig(freePort(), 0, 0, true, 60, 1_048_576, 16, 100, acl));
    }

    public static RunningBroker open() throws Exception {
        return open(List.of());
    }

    /** The shipped default: no anonymous clients. */
    public static RunningBroker closedToAnonymous() throws Exception {
        return new RunningBroker(new MqttConfig(freePort(), 0, 0, false, 60, 1_048_576, 16, 100, List.of()));
    }

    public String tcp() {
        return "tcp://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        listeners.stop();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
