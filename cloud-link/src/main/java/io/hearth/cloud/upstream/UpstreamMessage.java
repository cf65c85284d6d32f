package io.hearth.cloud.upstream;

import java.nio.charset.StandardCharsets;

/** A message received from or sent to the cloud. The payload array is handed over, not copied. */
public record UpstreamMessage(String topic, byte[] payload) {

    public String payloadText() {
        return new String(payload, StandardCharsets.UTF_8);
    }
}
