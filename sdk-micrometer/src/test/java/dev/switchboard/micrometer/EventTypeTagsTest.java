package dev.switchboard.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class EventTypeTagsTest {
    @Test
    void theFirstTypesKeepTheirNameAndTheRestAreOther() {
        EventTypeTags tags = new EventTypeTags(2);

        assertThat(List.of("a", "b", "c", "a", "b", "d").stream().map(tags::tag))
                .containsExactly("a", "b", "_other", "a", "b", "_other");
    }

    @Test
    void zeroTagsEveryTypeOtherAndANegativeLimitIsRefused() {
        assertThat(new EventTypeTags(0).tag("a")).isEqualTo("_other");
        assertThatThrownBy(() -> new EventTypeTags(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void threadsRacingWithNewTypesAdmitNoMoreThanTheLimit() throws Exception {
        EventTypeTags tags = new EventTypeTags(10);
        Set<String> named = ConcurrentHashMap.newKeySet();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = IntStream.range(0, 8).<Future<?>>mapToObj(t -> threads.submit(() -> {
                start.await();
                for (int i = 0; i < 1_000; i++) {
                    named.add(tags.tag("type-" + (i * 7 + t) % 500));
                }
                return null;
            })).toList();
            start.countDown();
            for (Future<?> f : done) {
                f.get(10, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }

        named.remove("_other");
        assertThat(named).hasSize(10);
    }
}
