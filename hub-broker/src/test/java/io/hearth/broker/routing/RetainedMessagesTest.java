package io.hearth.broker.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.core.bus.BusMessage;
import io.hearth.core.bus.Qos;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetainedMessagesTest {

    private static final long SECOND = 1_000_000_000L;

    private final RetainedMessages retained = new RetainedMessages();

    private List<String> matching(String filter, long now) {
        List<String> topics = new ArrayList<>();
        retained.match(filter, now, kept -> topics.add(kept.message().topic()));
        return topics;
    }

    private void keep(String topic, String text, long now) {
        retained.store(BusMessage.of(topic, text, Qos.AT_LEAST_ONCE, true), now);
    }

    @Test
    void aFilterWithoutWildcardsFindsOnlyItsOwnTopic() {
        keep("home/kitchen/temp", "21", 0);
        keep("home/kitchen/temp/raw", "2100", 0);
        keep("$SYS/broker/clients", "3", 0);

        assertThat(matching("home/kitchen/temp", 0)).containsExactly("home/kitchen/temp");
        assertThat(matching("$SYS/broker/clients", 0)).containsExactly("$SYS/broker/clients");
        assertThat(matching("home/kitchen", 0)).isEmpty();
    }

    @Test
    void wildcardFiltersStillMatchEveryTopicTheyCover() {
        keep("home/kitchen/temp", "21", 0);
        keep("home/hall/temp", "19", 0);
        keep("$SYS/broker/clients", "3", 0);

        assertThat(matching("home/+/temp", 0)).containsExactlyInAnyOrder("home/kitchen/temp", "home/hall/temp");
        assertThat(matching("#", 0)).containsExactlyInAnyOrder("home/kitchen/temp", "home/hall/temp");
    }

    @Test
    void anExpiredMessageIsDroppedWhenItsTopicIsLookedUp() {
        retained.store(BusMessage.of("home/door", "open", Qos.AT_LEAST_ONCE, true).withExpirySeconds(5L), 0);

        assertThat(matching("home/door", 4 * SECOND)).containsExactly("home/door");
        assertThat(matching("home/door", 5 * SECOND)).isEmpty();
        assertThat(retained.size()).isZero();
    }

    @Test
    void anEmptyPayloadDeletesTheTopicsMessage() {
        keep("home/door", "open", 0);
        keep("home/door", "", 0);

        assertThat(matching("home/door", 0)).isEmpty();
        assertThat(retained.size()).isZero();
    }
}
