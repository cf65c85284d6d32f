package io.hearth.shadow;

import io.hearth.core.config.HearthConfig;
import io.hearth.core.config.HttpConfig;
import io.hearth.core.config.MqttConfig;
import io.hearth.core.lifecycle.Health;
import io.hearth.core.lifecycle.HealthReport;
import io.hearth.core.lifecycle.HealthReporter;
import io.hearth.core.lifecycle.HealthStatus;
import io.hearth.core.lifecycle.HubComponent;
import io.hearth.core.testing.FreePorts;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The hub's store, embedded broker and shadow service wired as the hub wires them, on a temporary
 * data dir and free loopback ports (anonymous clients allowed), plus the REST API when web-ui is on
 * the class path, for tests.
 */
public final class RunningShadows implements AutoCloseable, HealthReporter {

    public final Path dataDir;
    public final int mqttPort;
    /** The REST API's port when web-ui is on the class path, else 0. */
    public final int httpPort;
    private final ApplicationContext context;
    private final EmbeddedServer server;
    private final UnaryOperator<HearthConfig> customize;
    private final List<HubComponent> started = new java.util.concurrent.CopyOnWriteArrayList<>();

    private RunningShadows(Path dataDir, int mqttPort, int httpPort, UnaryOperator<HearthConfig> customize) throws Exception {
        this.dataDir = dataDir;
        this.mqttPort = mqttPort;
        this.customize = customize;
        HearthConfig config = customize.apply(HearthConfig.defaults().withDataDir(dataDir).withHttp(new HttpConfig(httpPort))
                .withMqtt(MqttConfig.defaults().withPorts(mqttPort, 0, 0).withAllowAnonymous(true)));
        context = ApplicationContext.builder().singletons(config, this)
                .properties(Map.of("micronaut.server.port", httpPort, "micronaut.server.host", "127.0.0.1")).start();
        server = context.findBean(EmbeddedServer.class).orElse(null);
        this.httpPort = server == null ? 0 : httpPort;
        List<HubComponent> components = new ArrayList<>(context.getBeansOfType(HubComponent.class));
        components.sort(Comparator.comparingInt(HubComponent::startOrder).thenComparing(HubComponent::name));
        try {
            for (HubComponent component : components) {
                component.start();
                started.add(component);
            }
            if (server != null) {
                server.start();
            }
        } catch (Exception e) {
            stopAll();
            throw e;
        }
    }

    public static RunningShadows start() throws Exception {
        return start(UnaryOperator.identity());
    }

    /** Starts with the test defaults (free ports, anonymous MQTT allowed) changed by {@code customize}. */
    public static RunningShadows start(UnaryOperator<HearthConfig> customize) throws Exception {
        return new RunningShadows(Files.createTempDirectory("hearth-shadow-test"), FreePorts.next(), FreePorts.next(), customize);
    }

    /** UP once every component has started, with each component's own health. */
    @Override
    public HealthReport report() {
        Map<String, Health> parts = new java.util.LinkedHashMap<>();
        started.forEach(component -> parts.put(component.name(), component.health()));
        return new HealthReport(parts.isEmpty() ? HealthStatus.STARTING : HealthStatus.UP, "test", 0, parts);
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    /** Stops everything cleanly and starts again on the same data dir and port. */
    public RunningShadows restart() throws Exception {
        stopAll();
        return new RunningShadows(dataDir, mqttPort, httpPort == 0 ? FreePorts.next() : httpPort, customize);
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
        if (server != null && server.isRunning()) {
            server.stop();
        }
        List<HubComponent> reverse = new ArrayList<>(started);
        Collections.reverse(reverse);
        reverse.forEach(HubComponent::stop);
        started.clear();
        context.close();
    }
}
