package io.hearth.cloud.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.cloud.sync.ThreeWayMerge.Owner;
import org.junit.jupiter.api.Test;

class ThreeWayMergeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aLeafChangedOnOneSideTakesThatSide() throws Exception {
        ObjectNode merged = ThreeWayMerge.merge(json("{\"a\":1,\"b\":1}"), json("{\"a\":2,\"b\":1}"),
                json("{\"a\":1,\"b\":3}"), Owner.LOCAL);
        assertThat(merged).isEqualTo(json("{\"a\":2,\"b\":3}"));
    }

    @Test
    void aLeafChangedOnBothSidesTakesTheOwners() throws Exception {
        ObjectNode base = json("{\"a\":1}");
        assertThat(ThreeWayMerge.merge(base, json("{\"a\":2}"), json("{\"a\":3}"), Owner.CLOUD))
                .isEqualTo(json("{\"a\":3}"));
        assertThat(ThreeWayMerge.merge(base, json("{\"a\":2}"), json("{\"a\":3}"), Owner.LOCAL))
                .isEqualTo(json("{\"a\":2}"));
    }

    @Test
    void removalsAreChangesAndObjectsMergeLeafByLeaf() throws Exception {
        ObjectNode merged = ThreeWayMerge.merge(json("{\"gone\":1,\"color\":{\"r\":1,\"g\":1}}"),
                json("{\"color\":{\"r\":2,\"g\":1}}"), json("{\"gone\":1,\"color\":{\"r\":1,\"g\":5}}"), Owner.CLOUD);
        assertThat(merged).isEqualTo(json("{\"color\":{\"r\":2,\"g\":5}}"));
    }

    @Test
    void numbersCompareByValueAndArraysAsWholes() throws Exception {
        ObjectNode merged = ThreeWayMerge.merge(json("{\"n\":1,\"list\":[1,2]}"), json("{\"n\":1.0,\"list\":[1,2,3]}"),
                json("{\"n\":4,\"list\":[2]}"), Owner.LOCAL);
        assertThat(merged).isEqualTo(json("{\"n\":4,\"list\":[1,2,3]}"));
    }

    @Test
    void aPatchSetsChangedLeavesAndNullsRemovedOnes() throws Exception {
        assertThat(ThreeWayMerge.patch(json("{\"a\":1,\"b\":2,\"c\":{\"x\":1,\"y\":1}}"),
                json("{\"a\":1,\"c\":{\"x\":2,\"y\":1},\"d\":true}")))
                .isEqualTo(json("{\"b\":null,\"c\":{\"x\":2},\"d\":true}"));
        assertThat(ThreeWayMerge.patch(json("{\"a\":1}"), json("{\"a\":1.0}"))).isNull();
        assertThat(ThreeWayMerge.patch(null, null)).isNull();
    }

    private static ObjectNode json(String text) throws Exception {
        return (ObjectNode) JSON.readTree(text);
    }
}
