package io.hearth.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.hearth.core.cloud.CloudState;
import io.hearth.core.cloud.DevicePermission;
import io.hearth.core.device.DeviceId;
import io.hearth.shadow.device.DeviceService;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Put;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * {@code /api/v1/cloud/devices} (owners): the owner's choice, per device, of what the cloud may see
 * and change. The choices are kept while the link is off, so they can be made before it is enabled.
 */
@Controller("/api/v1/cloud/devices")
final class RemoteAccessController {

    private final Optional<CloudState> cloud;
    private final DeviceService devices;

    RemoteAccessController(Optional<CloudState> cloud, DeviceService devices) {
        this.cloud = cloud;
        this.devices = devices;
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> permissions() {
        return cloud.<HttpResponse<?>>map(link -> HttpResponse.ok(
                link.remoteAccess().all().stream().map(RemoteAccessController::json).toList())).orElseGet(RemoteAccessController::absent);
    }

    /** Body {@code {"visible": bool, "control": bool}}; a key left out keeps its current value. */
    @Put(uri = "/{id}", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    CompletableFuture<HttpResponse<?>> choose(String id, @Body JsonNode body) {
        String problem = bodyProblem(body);
        if (problem != null) {
            return CompletableFuture.completedFuture(Problem.of(HttpStatus.BAD_REQUEST, problem));
        }
        return forKnownDevice(id, (link, device) -> {
            DevicePermission now = link.remoteAccess().of(device);
            return link.remoteAccess().set(device, flag(body, "visible", now.visible()), flag(body, "control", now.control()));
        });
    }

    /** Back to the defaults for this device. */
    @Delete(uri = "/{id}", produces = MediaType.APPLICATION_JSON)
    CompletableFuture<HttpResponse<?>> reset(String id) {
        return forKnownDevice(id, (link, device) -> link.remoteAccess().reset(device));
    }

    private interface Change {
        CompletableFuture<DevicePermission> apply(CloudState link, DeviceId device);
    }

    private CompletableFuture<HttpResponse<?>> forKnownDevice(String id, Change change) {
        if (cloud.isEmpty()) {
            return CompletableFuture.completedFuture(absent());
        }
        if (DeviceId.problem(id) != null) {
            return CompletableFuture.completedFuture(unknown(id));
        }
        DeviceId device = DeviceId.of(id);
        return devices.find(device).thenCompose(found -> found.isEmpty()
                ? CompletableFuture.completedFuture(unknown(id))
                : change.apply(cloud.get(), device).thenApply(RemoteAccessController::json).thenApply(HttpResponse::ok));
    }

    private static String bodyProblem(JsonNode body) {
        if (body == null || !body.isObject() || body.isEmpty()) {
            return "Send a JSON object with \"visible\" and/or \"control\", e.g. {\"visible\": true, \"control\": false}.";
        }
        for (Iterator<String> fields = body.fieldNames(); fields.hasNext(); ) {
            String field = fields.next();
            if (!field.equals("visible") && !field.equals("control")) {
                return "\"" + field + "\" is not a cloud permission; only \"visible\" and \"control\" are.";
            }
            if (!body.get(field).isBoolean()) {
                return "\"" + field + "\" must be true or false.";
            }
        }
        return null;
    }

    private static boolean flag(JsonNode body, String field, boolean current) {
        return body.has(field) ? body.get(field).booleanValue() : current;
    }

    private static Map<String, Object> json(DevicePermission permission) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("device", permission.device().value());
        json.put("visible", permission.visible());
        json.put("control", permission.control());
        json.put("ownerChoice", permission.ownerChoice());
        return json;
    }

    private static HttpResponse<?> unknown(String id) {
        return Problem.of(HttpStatus.NOT_FOUND, "There is no device \"" + id + "\". GET /api/v1/devices lists them all.");
    }

    private static HttpResponse<?> absent() {
        return Problem.of(HttpStatus.SERVICE_UNAVAILABLE, "This hub runs without its cloud link component.");
    }
}
