package io.hearth.installer;

import io.hearth.core.config.HearthConfig;
import io.hearth.core.lifecycle.Health;
import io.hearth.core.lifecycle.HealthReport;
import io.hearth.core.lifecycle.HealthReporter;
import io.hearth.core.lifecycle.HealthStatus;
import io.hearth.core.lifecycle.HubComponent;
import io.hearth.core.lifecycle.HubVersion;
import io.hearth.web.auth.IdentityStore;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.server.netty.NettyEmbeddedServer;
import io.micronaut.runtime.graceful.GracefulShutdownCapable;
import io.micronaut.runtime.server.EmbeddedServer;
import java.lang.management.ManagementFactory;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running hub: the Micronaut context that wires the modules, the HTTP listener, and the
 * {@link HubComponent}s started in order. The HTTP listener comes up first so health can answer
 * 503 while the rest starts; stopping goes the other way round, listener first, store last.
 */
final class Hub implements HealthReporter {

    private static final Logger LOG = LoggerFactory.getLogger(Hub.class);

    private enum Phase { STARTING, RUNNING, STOPPING, STOPPED }

    private final HearthConfig config;
    private final Object[] extraBeans;
    private volatile Phase phase = Phase.STARTING;
    /** Set by {@link #stop()} at once, so a start in progress gives up at its next step. */
    private volatile boolean stopRequested;
    private volatile List<HubComponent> components = List.of();
    /** The components whose start succeeded, in start order: the ones to stop. */
    private final List<HubComponent> started = new java.util.concurrent.CopyOnWriteArrayList<>();
    private ApplicationContext context;
    private EmbeddedServer server;

    /** @param extraBeans beans to add to the modules' own, such as components under test */
    Hub(HearthConfig config, Object... extraBeans) {
        this.config = config;
        this.extraBeans = extraBeans.clone();
    }

    /** Starts everything; on failure stops what did start and rethrows. */
    synchronized void start() throws Exception {
        if (stopRequested) {
            throw new HubStartException("hub", new IllegalStateException("stopping was requested before the start"));
        }
        long begin = System.nanoTime();
        context = ApplicationContext.builder()
                .deduceEnvironment(false)
                .deduceCloudEnvironment(false)
                .environmentPropertySource(false)
                .banner(false)
                .properties(MicronautSettings.of(config))
                .singletons(beans())
                .start();
        try {
            server = context.findBean(EmbeddedServer.class).orElse(null);
            LOG.debug("context started in {} ms", (System.nanoTime() - begin) / 1_000_000);
            if (server != null) {
                startHttp(server);
                LOG.debug("HTTP listening on port {} after {} ms", server.getPort(), (System.nanoTime() - begin) / 1_000_000);
            }
            List<HubComponent> ordered = new ArrayList<>(context.getBeansOfType(HubComponent.class));
            ordered.sort(Comparator.comparingInt(HubComponent::startOrder).thenComparing(HubComponent::name));
            components = List.copyOf(ordered);
            for (HubComponent component : ordered) {
                if (stopRequested) {
                    throw new HubStartException(component.name(), new IllegalStateException("the hub is stopping"));
                }
                long componentBegin = System.nanoTime();
                startOne(component);
                LOG.debug("{} started in {} ms", component.name(), (System.nanoTime() - componentBegin) / 1_000_000);
            }
            phase = Phase.RUNNING;
        } catch (Exception | Error e) {
            stopNow();
            throw e;
        }
    }

    private Object[] beans() {
        List<Object> beans = new ArrayList<>(List.of(config, this));
        beans.addAll(List.of(extraBeans));
        return beans.toArray();
    }

    private void startHttp(EmbeddedServer http) throws HubStartException {
        try {
            http.start();
        } catch (RuntimeException e) {
            int port = config.http().port();
            String why = isPortTaken(port) ? "port " + port + " is already in use by another program; stop it, or "
                    + "choose another port with hearth.http.port (HEARTH_HTTP_PORT)" : e.getMessage();
            throw new HubStartException("http", new IllegalStateException(why, e));
        }
    }

    private static boolean isPortTaken(int port) {
        try (java.net.ServerSocket probe = new java.net.ServerSocket(port)) {
            return false;
        } catch (java.io.IOException e) {
            return true;
        }
    }

    private void startOne(HubComponent component) throws Exception {
        try {
            component.start();
            started.add(component);
        } catch (Exception e) {
            if (component.essential()) {
                throw new HubStartException(component.name(), e);
            }
            // A broken binding or cloud link must not take the home down with it.
            LOG.warn("{} did not start and stays off: {}", component.name(), e.getMessage());
        }
    }

    /**
     * Stops listeners first, then components in reverse start order, then the context that wired
     * them. Safe to call more than once, and while {@link #start()} is still running: the start
     * then gives up before its next step.
     */
    void stop() {
        stopRequested = true;
        synchronized (this) {
            stopNow();
        }
    }

    private void stopNow() {
        if (phase == Phase.STOPPED) {
            return;
        }
        phase = Phase.STOPPING;
        long begin = System.nanoTime();
        if (server != null && server.isRunning()) {
            finishInFlightRequests(server);
            // Only the listener: stopping the server fully would stop the whole context, and with it
            // the beans the components still use while they stop.
            if (server instanceof NettyEmbeddedServer netty) {
                netty.stopServerOnly();
            } else {
                server.stop();
            }
        }
        List<HubComponent> reverse = new ArrayList<>(started);
        started.clear();
        java.util.Collections.reverse(reverse);
        for (HubComponent component : reverse) {
            try {
                component.stop();
            } catch (RuntimeException e) {
                LOG.warn("{} did not stop cleanly: {}", component.name(), e.getMessage());
            }
        }
        if (context != null && context.isRunning()) {
            context.close();
        }
        phase = Phase.STOPPED;
        LOG.info("Hearth stopped in {} ms", (System.nanoTime() - begin) / 1_000_000);
    }

    /** Stops accepting connections and lets requests already being served finish, for at most 2 s. */
    private static void finishInFlightRequests(EmbeddedServer http) {
        if (http instanceof GracefulShutdownCapable graceful) {
            try {
                graceful.shutdownGracefully().toCompletableFuture().get(2, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                LOG.warn("HTTP requests still running after 2 s are cut off");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                LOG.warn("Finishing HTTP requests failed: {}", e.getMessage());
            }
        }
    }

    /** True while nobody has created the owner account: the web UI then starts with onboarding. */
    boolean needsOwner() {
        IdentityStore identities = context == null ? null : context.findBean(IdentityStore.class).orElse(null);
        if (identities == null) {
            return false;
        }
        try {
            return !identities.hasOwner();
        } catch (SQLException e) {
            return false;
        }
    }

    int httpPort() {
        return server == null ? -1 : server.getPort();
    }

    @Override
    public HealthReport report() {
        Phase now = phase;
        Map<String, Health> parts = new LinkedHashMap<>();
        HealthStatus overall = switch (now) {
            case STARTING -> HealthStatus.STARTING;
            case STOPPING, STOPPED -> HealthStatus.STOPPING;
            case RUNNING -> HealthStatus.UP;
        };
        for (HubComponent component : components) {
            Health health = safeHealth(component);
            parts.put(component.name(), health);
            if (now == Phase.RUNNING && health.status() != HealthStatus.UP && health.status() != HealthStatus.DISABLED) {
                if (component.essential()) {
                    overall = HealthStatus.DOWN;
                } else if (overall == HealthStatus.UP) {
                    overall = HealthStatus.DEGRADED;
                }
            }
        }
        long uptime = ManagementFactory.getRuntimeMXBean().getUptime() / 1000;
        return new HealthReport(overall, HubVersion.current(), uptime, parts);
    }

    private static Health safeHealth(HubComponent component) {
        try {
            return component.health();
        } catch (RuntimeException e) {
            return Health.down("its health check failed: " + e.getMessage());
        }
    }

    /** An essential component could not start. */
    static final class HubStartException extends Exception {

        HubStartException(String component, Exception cause) {
            super(component + " could not start: " + cause.getMessage(), cause);
        }
    }
}
