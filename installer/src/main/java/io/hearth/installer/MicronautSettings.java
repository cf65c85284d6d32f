package io.hearth.installer;

import io.hearth.core.config.HearthConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Micronaut properties the hub runs with, derived from {@link HearthConfig}. {@link Hub}
 * switches off Micronaut's environment detection and its reading of environment variables, so
 * Hearth's own keys are the way to configure the hub; {@code -Dmicronaut.*} system properties
 * still apply, for diagnosing Micronaut itself.
 */
final class MicronautSettings {

    private MicronautSettings() {
    }

    static Map<String, Object> of(HearthConfig config) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("micronaut.application.name", "hearth");
        settings.put("micronaut.server.port", config.http().port());
        // A small board has one or two cores: one event loop thread each is all the HTTP side needs.
        settings.put("micronaut.netty.event-loops.default.num-threads", Math.min(2, Runtime.getRuntime().availableProcessors()));
        settings.put("micronaut.netty.event-loops.default.shutdown-quiet-period", "0ms");
        settings.put("micronaut.netty.event-loops.default.shutdown-timeout", "2s");
        settings.put("micronaut.server.netty.parent.threads", 1);
        settings.put("micronaut.server.netty.parent.shutdown-quiet-period", "0ms");
        settings.put("micronaut.server.netty.parent.shutdown-timeout", "2s");
        return settings;
    }
}
