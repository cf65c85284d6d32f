package io.hearth.serial.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinkPartsTest {

    @Test
    void linesAreCutAtLineEndsAcrossChunksAndOverlongOnesAreSkippedAndCounted() {
        List<String> lines = new ArrayList<>();
        LineSplitter splitter = new LineSplitter(10, lines::add);
        splitter.accept("one\r\ntw".getBytes(StandardCharsets.US_ASCII));
        splitter.accept("o\n".getBytes(StandardCharsets.US_ASCII));
        splitter.accept("this line is far too long\nthree\n".getBytes(StandardCharsets.US_ASCII));
        splitter.accept(new byte[] {(byte) 0xC3, '\n'});
        splitter.accept("half".getBytes(StandardCharsets.US_ASCII));
        splitter.reset();
        splitter.accept("four\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(lines).containsExactly("one", "two", "three", "\uFFFD", "four");
        assertThat(splitter.overlong()).isEqualTo(1);
    }

    @Test
    void backoffDoublesUpToItsLimit() {
        Backoff backoff = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(2));
        assertThat(List.of(backoff.after(1), backoff.after(2), backoff.after(3), backoff.after(4), backoff.after(40)))
                .containsExactly(Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
                        Duration.ofSeconds(2), Duration.ofSeconds(2));
    }
}
