package io.hearth.web.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.http.HttpRequest;

/** Reading request bodies and callers the same way in every auth route. */
final class Fields {

    private Fields() {
    }

    /** The string field {@code name}, or null when it is missing or not a string. */
    static String text(JsonNode body, String name) {
        JsonNode value = body == null ? null : body.get(name);
        return value != null && value.isTextual() ? value.textValue() : null;
    }

    static String address(HttpRequest<?> request) {
        return request.getRemoteAddress().getAddress().getHostAddress();
    }
}
