package io.hearth.shadow;

import io.hearth.core.config.HearthConfig;
import io.hearth.core.config.MqttConfig;
import io.hearth.core.lifecycle.HubComponent;
import io.micronaut.context.ApplicationContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The hub's store, embedded broker and shadow service wired as the hub wires them, on a temporary
 * data dir and a free loopback port (anonymous clients allowed), for tests.
 */
public final class RunningShadows implements AutoCloseable {

    public final Path dataDir;
    public final int mqttPort;
    private final ApplicationContext context;
    private final List<HubComponent> started = new ArrayList<>();

    private RunningShadows(Path dataDir, int mqttPort) throws Exception {
        this.dataDir = dataDir;
        this.mqttPort = mqttPort;
        HearthConfig config = HearthConfig.defaults().withDataDir(dataDir)
                .withMqtt(MqttConfig.defaults().withPorts(mqttPort, 0, 0).withAllowAnonymous(true));
        context = ApplicationContext.builder().singletons(config).start();
        List<HubComponent> components = new ArrayList<>(context.getBeansOfType(HubComponent.class));
        components.sort(Comparator.comparingInt(HubComponent::startOrder).thenComparing(HubComponent::name));
        try {
            for (HubComponent component : components) {
                component.start();
                started.add(component);
            }
        } catch (Exception e) {
            stopAll();
            throw e;
        }
    }

    public static RunningShadows start() throws Exception {
        return new RunningShadows(Files.createTempDirectory("hearth-shadow-test"), freePort());
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    /** Stops everything cleanly and starts again on the same data dir and port. */
    public RunningShadows restart() throws Exception {
        stopAll();
        return new RunningShadows(dataDir, mqttPort);
    }

    @Override
    public void close() {
        stopAll();
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void stopAll() {
        List<HubComponent> reverse = new ArrayList<>(started);
        Collections.reverse(reverse);
        reverse.forEach(HubComponent::stop);
        started.clear();
        context.close();
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
