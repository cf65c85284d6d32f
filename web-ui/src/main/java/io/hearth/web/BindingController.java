package io.hearth.web;

import io.hearth.core.binding.Binding;
import io.hearth.core.config.HearthConfig;
import io.hearth.core.config.SerialGateway;
import io.hearth.core.lifecycle.Health;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code GET /api/v1/bindings}: the ways this hub can add devices, so the pairing page offers only
 * those that can work now and says in plain words why the others cannot.
 */
@Controller("/api/v1/bindings")
@ExecuteOn(TaskExecutors.BLOCKING)
final class BindingController {

    private final List<Binding> bindings;
    private final List<SerialGateway> gateways;

    BindingController(List<Binding> bindings, HearthConfig config) {
        this.bindings = List.copyOf(bindings);
        this.gateways = config.serial().gateways();
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    List<Map<String, Object>> list() {
        return bindings.stream().sorted(java.util.Comparator.comparing(Binding::id)).map(this::describe).toList();
    }

    private Map<String, Object> describe(Binding binding) {
        Health health = binding.health();
        boolean serial = binding.id().equals("serial");
        List<Map<String, Object>> ports = serial ? gateways.stream().map(BindingController::gateway).toList() : List.of();
        String whyNot = whyNotPairing(health, serial);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", binding.id());
        json.put("status", health.status().name());
        json.put("message", health.message());
        json.put("canPair", whyNot == null);
        json.put("whyNot", whyNot);
        json.put("pairing", PairingJson.of(binding.pairingStatus()));
        json.put("gateways", ports);
        return json;
    }

    /** Null when pairing can start now; otherwise what stands in the way, in words a homeowner can act on. */
    private String whyNotPairing(Health health, boolean serial) {
        String name = serial ? "The serial binding" : "Zigbee";
        if (serial && gateways.stream().noneMatch(BindingController::pairs)) {
            return gateways.isEmpty() ? "No serial gateway is set up (hearth.serial.gateways in the hub's configuration)."
                    : "None of the serial gateways pairs devices: meters and line devices appear by themselves once connected.";
        }
        return switch (health.status()) {
            case UP, DEGRADED -> null;
            case STARTING -> name + " is still starting. Try again in a moment.";
            case DISABLED -> name + " is turned off in the hub's configuration"
                    + (health.message() == null ? "." : " (" + health.message() + ").");
            case STOPPING -> "The hub is stopping.";
            case DOWN -> name + " is not working" + (health.message() == null ? "" : ": " + health.message())
                    + (serial ? "" : ". Check that the Zigbee adapter is plugged in; the hub keeps trying by itself.");
        };
    }

    private static boolean pairs(SerialGateway gateway) {
        return gateway.protocol() == SerialGateway.Protocol.MYSENSORS;
    }

    private static Map<String, Object> gateway(SerialGateway gateway) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", gateway.id());
        json.put("protocol", gateway.protocol().name().toLowerCase(Locale.ROOT));
        json.put("port", gateway.port());
        json.put("pairs", pairs(gateway));
        return json;
    }
}
