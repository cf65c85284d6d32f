package io.hearth.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.hearth.core.binding.BindingException;
import io.hearth.core.device.DeviceId;
import io.hearth.shadow.device.DeviceService;
import io.hearth.shadow.device.DeviceView;
import io.hearth.shadow.history.HistoryPoint;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** {@code /api/v1/devices}: the home's devices with their state, renaming, removal and history. */
@Controller("/api/v1/devices")
final class DeviceController {

    private final DeviceService devices;

    DeviceController(DeviceService devices) {
        this.devices = devices;
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    CompletableFuture<List<DeviceView>> list() {
        return devices.list();
    }

    @Get(uri = "/{id}", produces = MediaType.APPLICATION_JSON)
    CompletableFuture<HttpResponse<?>> device(String id) {
        DeviceId device = parse(id);
        if (device == null) {
            return CompletableFuture.completedFuture(unknown(id));
        }
        return devices.find(device).thenApply(found -> found.<HttpResponse<?>>map(HttpResponse::ok).orElseGet(() -> unknown(id)));
    }

    @Patch(uri = "/{id}", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    CompletableFuture<HttpResponse<?>> rename(String id, @Body JsonNode body) {
        DeviceId device = parse(id);
        if (device == null) {
            return CompletableFuture.completedFuture(unknown(id));
        }
        if (body == null || !body.isObject()) {
            return CompletableFuture.completedFuture(Problem.of(HttpStatus.BAD_REQUEST,
                    "Send a JSON object with \"name\" and/or \"room\"."));
        }
        for (Iterator<String> fields = body.fieldNames(); fields.hasNext(); ) {
            String field = fields.next();
            if (!field.equals("name") && !field.equals("room")) {
                return CompletableFuture.completedFuture(Problem.of(HttpStatus.BAD_REQUEST,
                        "\"" + field + "\" cannot be changed here; only \"name\" and \"room\" can."));
            }
            if (!body.get(field).isTextual()) {
                return CompletableFuture.completedFuture(Problem.of(HttpStatus.BAD_REQUEST, "\"" + field + "\" must be a string."));
            }
        }
        try {
            return devices.rename(device, text(body, "name"), text(body, "room"))
                    .thenApply(found -> found.<HttpResponse<?>>map(HttpResponse::ok).orElseGet(() -> unknown(id)));
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(Problem.of(HttpStatus.BAD_REQUEST, e.getMessage()));
        }
    }

    @Delete(uri = "/{id}")
    @ExecuteOn(TaskExecutors.BLOCKING)
    HttpResponse<?> remove(String id) {
        DeviceId device = parse(id);
        try {
            if (device == null || !devices.remove(device)) {
                return unknown(id);
            }
        } catch (BindingException e) {
            return Problem.of(HttpStatus.CONFLICT, "The device could not be removed: " + e.getMessage());
        }
        return HttpResponse.noContent();
    }

    @Get(uri = "/{id}/history", produces = MediaType.APPLICATION_JSON)
    @ExecuteOn(TaskExecutors.BLOCKING)
    HttpResponse<?> history(String id, @Nullable @QueryValue String property, @Nullable @QueryValue String since)
            throws SQLException {
        DeviceId device = parse(id);
        if (device == null) {
            return unknown(id);
        }
        if (property == null || property.isBlank()) {
            return Problem.of(HttpStatus.BAD_REQUEST, "Name the value to chart with ?property=, e.g. ?property=temperature.");
        }
        Instant from;
        try {
            from = since == null ? Instant.now().minus(Duration.ofDays(1)) : Instant.parse(since);
        } catch (DateTimeParseException e) {
            return Problem.of(HttpStatus.BAD_REQUEST,
                    "since must be an ISO-8601 time such as 2026-01-31T18:00:00Z, not \"" + since + "\".");
        }
        Optional<List<HistoryPoint>> points = devices.history(device, property, from);
        if (points.isEmpty()) {
            return unknown(id);
        }
        return HttpResponse.ok(points.get().stream().map(DeviceController::point).toList());
    }

    private static Map<String, Object> point(HistoryPoint point) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("t", Instant.ofEpochMilli(point.at()).toString());
        json.put("v", point.bool() ? (Object) (point.value() != 0) : (Object) point.value());
        return json;
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        return value == null ? null : value.textValue();
    }

    private static DeviceId parse(String id) {
        return DeviceId.problem(id) == null ? DeviceId.of(id) : null;
    }

    private static HttpResponse<?> unknown(String id) {
        return Problem.of(HttpStatus.NOT_FOUND, "There is no device \"" + id + "\". GET /api/v1/devices lists them all.");
    }
}
