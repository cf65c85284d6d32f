package io.hearth.cloud.projection;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.shadow.ShadowDocument;
import org.junit.jupiter.api.Test;

class ShadowBodiesTest {

    @Test
    void mergedDocumentsKeepWhatTheCloudLastKnewAndTheNewestState() throws Exception {
        byte[] first = ShadowBodies.documents(document(20, 1), document(21, 2), 100);
        byte[] second = ShadowBodies.documents(document(21, 2), document(22, 3), 101);

        JsonNode merged = ShadowBodies.JSON.readTree(ShadowBodies.mergeDocuments(first, second));

        assertThat(merged.path("previous").path("version").asLong()).isEqualTo(1);
        assertThat(merged.path("current").path("version").asLong()).isEqualTo(3);
        assertThat(merged.path("current").path("state").path("reported").path("temperature").asInt()).isEqualTo(22);
        assertThat(merged.path("timestamp").asLong()).isEqualTo(101);
    }

    @Test
    void aFirstSightingHasNoPreviousEvenAfterMerging() throws Exception {
        byte[] first = ShadowBodies.documents(null, document(20, 1), 100);
        byte[] second = ShadowBodies.documents(document(20, 1), document(21, 2), 101);

        JsonNode merged = ShadowBodies.JSON.readTree(ShadowBodies.mergeDocuments(first, second));

        assertThat(merged.has("previous")).isFalse();
        assertThat(merged.path("current").path("version").asLong()).isEqualTo(2);
    }

    private static ShadowDocument document(int temperature, long version) {
        ObjectNode reported = ShadowBodies.JSON.createObjectNode().put("temperature", temperature);
        ObjectNode metadata = ShadowBodies.JSON.createObjectNode();
        metadata.putObject("temperature").put("timestamp", 100);
        return new ShadowDocument(null, reported, null, metadata, version, 100);
    }
}
