package io.hearth.web;

import io.hearth.core.lifecycle.HealthReport;
import io.hearth.core.lifecycle.HealthReporter;
import io.hearth.core.lifecycle.HealthStatus;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /metrics} (owners): the hub in Prometheus text format. Every number a component shows in
 * its health (the broker's messages, drops and sessions, the shadows' accepted and rejected updates,
 * a binding's counters) becomes a sample, so a figure added to a component's health is exported
 * without further wiring; plus whether each component is up, and the JVM's memory and threads.
 */
@Controller("/metrics")
final class MetricsController {

    static final MediaType PROMETHEUS = MediaType.of("text/plain; version=0.0.4; charset=utf-8");

    private final HealthReporter reporter;

    MetricsController(HealthReporter reporter) {
        this.reporter = reporter;
    }

    @Get
    HttpResponse<String> metrics() {
        HealthReport report = reporter.report();
        Map<String, Number> samples = new TreeMap<>();
        samples.put("hearth_up", report.ready() ? 1 : 0);
        samples.put("hearth_uptime_seconds", report.uptimeSeconds());
        report.components().forEach((component, health) -> {
            String prefix = "hearth_" + name(component);
            samples.put(prefix + "_up", health.status() == HealthStatus.UP ? 1 : 0);
            flatten(prefix, health.details(), samples);
        });
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        samples.put("hearth_jvm_heap_used_bytes", heap.getUsed());
        samples.put("hearth_jvm_heap_max_bytes", heap.getMax());
        samples.put("hearth_jvm_threads", ManagementFactory.getThreadMXBean().getThreadCount());
        StringBuilder text = new StringBuilder();
        samples.forEach((name, value) -> text.append("# TYPE ").append(name).append(" untyped\n")
                .append(name).append(' ').append(value).append('\n'));
        return HttpResponse.ok(text.toString()).contentType(PROMETHEUS);
    }

    private static void flatten(String prefix, Map<?, ?> details, Map<String, Number> samples) {
        details.forEach((key, value) -> {
            String name = prefix + "_" + name(String.valueOf(key));
            if (value instanceof Number number) {
                samples.put(name, number);
            } else if (value instanceof Boolean flag) {
                samples.put(name, flag ? 1 : 0);
            } else if (value instanceof Map<?, ?> nested) {
                flatten(name, nested, samples);
            }
        });
    }

    /** {@code messagesReceived} → {@code messages_received}; anything outside [a-z0-9_] becomes _. */
    static String name(String key) {
        return key.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    }
}
