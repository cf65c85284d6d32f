package io.hearth.shadow;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.core.bus.Utf8Payload;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;

/**
 * A shadow request body, checked against the AWS IoT rules before anything is merged.
 *
 * @param desired the desired patch: null when absent, {@link #CLEAR} when {@code "desired":null}
 * @param reported the reported patch, like {@code desired}
 * @param clearAll true for {@code {"state":null}}, which empties the whole document
 * @param version the version the client expects, or null to skip the check
 * @param clientToken echoed in every response, or null
 */
record ShadowRequest(ObjectNode desired, ObjectNode reported, boolean clearAll, Long version, String clientToken) {

    /** Stands for a section set to null: the whole section is removed. */
    static final ObjectNode CLEAR = new ObjectMapper().createObjectNode();

    /** Largest request body accepted before parsing; the merged state is limited separately. */
    static final int MAX_PAYLOAD_BYTES = 128 * 1024;
    static final int MAX_CLIENT_TOKEN_BYTES = 64;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /** Reads an {@code /update} body. */
    static ShadowRequest update(byte[] payload) {
        ObjectNode body = body(payload, false);
        String clientToken = clientToken(body);
        Long version = version(body, clientToken);
        JsonNode state = body.get("state");
        if (state == null) {
            throw new ShadowException(ShadowError.MISSING_STATE, clientToken);
        }
        if (state.isNull()) {
            return new ShadowRequest(null, null, true, version, clientToken);
        }
        if (!state.isObject()) {
            throw new ShadowException(ShadowError.STATE_NOT_OBJECT, clientToken);
        }
        for (Iterator<String> names = state.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("desired") && !name.equals("reported")) {
                throw new ShadowException(ShadowError.INVALID_NODE, clientToken);
            }
        }
        ObjectNode desired = section(state.get("desired"), ShadowError.DESIRED_NOT_OBJECT, clientToken);
        ObjectNode reported = section(state.get("reported"), ShadowError.REPORTED_NOT_OBJECT, clientToken);
        return new ShadowRequest(desired, reported, false, version, clientToken);
    }

    /** Reads a {@code /get} or {@code /delete} body: empty, or an object with an optional clientToken (and version). */
    static ShadowRequest plain(byte[] payload) {
        if (payload.length == 0) {
            return new ShadowRequest(null, null, false, null, null);
        }
        ObjectNode body = body(payload, true);
        String clientToken = clientToken(body);
        return new ShadowRequest(null, null, false, version(body, clientToken), clientToken);
    }

    private static ObjectNode body(byte[] payload, boolean emptyAllowed) {
        if (payload.length > MAX_PAYLOAD_BYTES) {
            throw new ShadowException(ShadowError.TOO_LARGE, null);
        }
        if (!Utf8Payload.wellFormed(payload)) {
            throw new ShadowException(ShadowError.NOT_UTF8, null);
        }
        JsonNode parsed;
        try {
            parsed = JSON.readTree(payload);
        } catch (JsonProcessingException e) {
            throw new ShadowException(ShadowError.INVALID_JSON, null);
        } catch (IOException e) {
            throw new ShadowException(ShadowError.INVALID_JSON, null);
        }
        if (parsed == null || parsed.isMissingNode()) {
            if (emptyAllowed) {
                return JSON.createObjectNode();
            }
            throw new ShadowException(ShadowError.INVALID_JSON, null);
        }
        if (!parsed.isObject()) {
            throw new ShadowException(ShadowError.INVALID_JSON, null);
        }
        return (ObjectNode) parsed;
    }

    private static String clientToken(ObjectNode body) {
        JsonNode token = body.get("clientToken");
        if (token == null) {
            return null;
        }
        if (!token.isTextual() || token.textValue().getBytes(StandardCharsets.UTF_8).length > MAX_CLIENT_TOKEN_BYTES) {
            throw new ShadowException(ShadowError.INVALID_CLIENT_TOKEN, null);
        }
        return token.textValue();
    }

    private static Long version(ObjectNode body, String clientToken) {
        JsonNode version = body.get("version");
        if (version == null) {
            return null;
        }
        if (!version.isIntegralNumber() || !version.canConvertToLong() || version.longValue() < 0) {
            throw new ShadowException(ShadowError.INVALID_VERSION, clientToken);
        }
        return version.longValue();
    }

    private static ObjectNode section(JsonNode node, ShadowError notObject, String clientToken) {
        if (node == null) {
            return null;
        }
        if (node.isNull()) {
            return CLEAR;
        }
        if (!node.isObject()) {
            throw new ShadowException(notObject, clientToken);
        }
        if (StateMerge.depth(node) > StateMerge.MAX_DEPTH) {
            throw new ShadowException(ShadowError.TOO_DEEP, clientToken);
        }
        if (StateMerge.hasNullInArray(node)) {
            throw new ShadowException(ShadowError.NULL_IN_ARRAY, clientToken);
        }
        return (ObjectNode) node;
    }
}
