package io.hearth.broker.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.core.bus.Qos;
import io.hearth.core.bus.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SubscriptionIndexTest {

    private final SubscriptionIndex index = new SubscriptionIndex();

    private List<String> matching(String topic) {
        List<String> found = new ArrayList<>();
        index.match(topic, s -> found.add(s.subscriberId() + ":" + s.key()));
        return found;
    }

    @Test
    void exactAndWildcardFiltersMatch() {
        index.add(Subscription.of("a", "home/kitchen/temp", Qos.AT_MOST_ONCE));
        index.add(Subscription.of("b", "home/+/temp", Qos.AT_MOST_ONCE));
        index.add(Subscription.of("c", "home/#", Qos.AT_MOST_ONCE));
        index.add(Subscription.of("d", "#", Qos.AT_MOST_ONCE));
        index.add(Subscription.of("e", "home/kitchen", Qos.AT_MOST_ONCE));
        assertThat(matching("home/kitchen/temp")).containsExactlyInAnyOrder(
                "a:home/kitchen/temp", "b:home/+/temp", "c:home/#", "d:#");
        assertThat(matching("home")).containsExactlyInAnyOrder("c:home/#", "d:#");
        assertThat(matching("garden")).containsExactly("d:#");
    }

    @Test
    void dollarTopicsAreHiddenFromLeadingWildcards() {
        index.add(Subscription.of("all", "#", Qos.AT_MOST_ONCE));
        index.add(Subscription.of("plus", "+/broker/clients", Qos.AT_MOST_ONCE));
        index.add(Subscription.of("sys", "$SYS/#", Qos.AT_MOST_ONCE));
        assertThat(matching("$SYS/broker/clients")).containsExactly("sys:$SYS/#");
    }

    @Test
    void removingASubscriptionLeavesOthersAndPrunesEmptyBranches() {
        index.add(Subscription.of("a", "x/y/z", Qos.AT_LEAST_ONCE));
        index.add(Subscription.of("b", "x/y/z", Qos.AT_LEAST_ONCE));
        assertThat(index.remove("a", "x/y/z", null)).isTrue();
        assertThat(index.remove("a", "x/y/z", null)).isFalse();
        assertThat(matching("x/y/z")).containsExactly("b:x/y/z");
        assertThat(index.remove("b", "x/y/z", null)).isTrue();
        assertThat(index.size()).isZero();
        index.add(Subscription.of("c", "x/y/z", Qos.AT_LEAST_ONCE));
        assertThat(matching("x/y/z")).containsExactly("c:x/y/z");
    }

    @Test
    void resubscribingReplacesTheOptions() {
        assertThat(index.add(Subscription.of("a", "t", Qos.AT_MOST_ONCE))).isTrue();
        assertThat(index.add(Subscription.of("a", "t", Qos.EXACTLY_ONCE))).isFalse();
        List<Subscription> found = new ArrayList<>();
        index.match("t", found::add);
        assertThat(found).singleElement().extracting(Subscription::qos).isEqualTo(Qos.EXACTLY_ONCE);
    }

    @Test
    void aSharedAndAnUnsharedSubscriptionOfOneClientAreDistinct() {
        index.add(Subscription.of("a", "t/#", Qos.AT_MOST_ONCE));
        index.add(new Subscription("a", "t/#", "g", Qos.AT_MOST_ONCE, false, false, 0, 0));
        assertThat(matching("t/1")).containsExactlyInAnyOrder("a:t/#", "a:$share/g/t/#");
        index.remove("a", "t/#", "g");
        assertThat(matching("t/1")).containsExactly("a:t/#");
    }

    @Test
    void theTrieAgreesWithTheReferenceMatcherOnRandomTopics() {
        Random random = new Random(42);
        String[] words = {"a", "b", "c", "", "+", "#"};
        List<String> filters = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            StringBuilder filter = new StringBuilder();
            int depth = 1 + random.nextInt(4);
            for (int level = 0; level < depth; level++) {
                String word = words[random.nextInt(words.length)];
                if (word.equals("#") && level < depth - 1) {
                    word = "+";
                }
                filter.append(level == 0 ? "" : "/").append(random.nextInt(10) == 0 && level == 0 ? "$s" : word);
            }
            if (Topics.filterProblem(filter.toString()) == null) {
                filters.add(filter.toString());
                index.add(Subscription.of("s" + i, filter.toString(), Qos.AT_MOST_ONCE));
            }
        }
        for (int i = 0; i < 2000; i++) {
            StringBuilder topic = new StringBuilder(random.nextInt(8) == 0 ? "$s" : words[random.nextInt(3)]);
            int depth = random.nextInt(4);
            for (int level = 0; level < depth; level++) {
                topic.append('/').append(words[random.nextInt(4)]);
            }
            String name = topic.toString();
            List<String> expected = new ArrayList<>();
            for (int f = 0; f < filters.size(); f++) {
                if (Topics.matches(filters.get(f), name)) {
                    expected.add(filters.get(f));
                }
            }
            List<String> actual = new ArrayList<>();
            index.match(name, s -> actual.add(s.filter()));
            assertThat(actual).as("topic %s", name).containsExactlyInAnyOrderElementsOf(expected);
        }
    }
}
