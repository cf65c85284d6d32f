package io.hearth.cloud.projection;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UpstreamTopicsTest {

    private final UpstreamTopics topics = new UpstreamTopics("$aws", "home");

    @Test
    void aDeviceIsANamedShadowOfTheHubsThing() {
        assertThat(topics.devicePrefix("zigbee-00124b0001020304"))
                .isEqualTo("$aws/things/home/shadow/name/zigbee-00124b0001020304");
        assertThat(topics.parse("$aws/things/home/shadow/name/lamp/update"))
                .isEqualTo(new UpstreamTopics.Request("lamp", "update"));
        assertThat(topics.parse("$aws/things/home/shadow/get")).isEqualTo(new UpstreamTopics.Request(null, "get"));
    }

    @Test
    void answersAndOtherThingsAreNotRequests() {
        assertThat(topics.parse("$aws/things/home/shadow/name/lamp/update/accepted")).isNull();
        assertThat(topics.parse("$aws/things/other/shadow/name/lamp/update")).isNull();
        assertThat(topics.parse("$aws/things/home/shadow/name//update")).isNull();
        assertThat(topics.parse("$aws/things/home/shadow/name/lamp/rename")).isNull();
    }

    @Test
    void aPlainRootServesBrokersThatRefuseDollarTopics() {
        UpstreamTopics plain = new UpstreamTopics("home-cloud/aws", "home");
        assertThat(plain.devicePrefix("lamp")).isEqualTo("home-cloud/aws/things/home/shadow/name/lamp");
        assertThat(plain.parse("home-cloud/aws/things/home/shadow/name/lamp/get"))
                .isEqualTo(new UpstreamTopics.Request("lamp", "get"));
        assertThat(plain.parse("$aws/things/home/shadow/name/lamp/get")).isNull();
        assertThat(plain.requestFilters()).allMatch(filter -> filter.startsWith("home-cloud/aws/things/home/shadow/"));
    }
}
