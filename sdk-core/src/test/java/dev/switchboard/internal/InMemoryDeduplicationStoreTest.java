package dev.switchboard.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InMemoryDeduplicationStoreTest {
    private static final Duration LONG = Duration.ofMinutes(10);

    private final InMemoryDeduplicationStore store = new InMemoryDeduplicationStore();

    @Test
    void firstClaimSucceedsDuplicateFails() {
        assertThat(store.tryClaim("g1", "evt-1", LONG)).isTrue();

        assertThat(store.tryClaim("g1", "evt-1", LONG)).isFalse();
        assertThat(store.tryClaim("g1", "evt-1", LONG)).isFalse();
    }

    @Test
    void claimsArePerGroupAndPerEvent() {
        assertThat(store.tryClaim("g1", "evt-1", LONG)).isTrue();

        assertThat(store.tryClaim("g2", "evt-1", LONG)).isTrue();
        assertThat(store.tryClaim("g1", "evt-2", LONG)).isTrue();
    }

    @Test
    void groupAndIdDoNotCollideWhenConcatenated() {
        assertThat(store.tryClaim("ab", "c", LONG)).isTrue();

        assertThat(store.tryClaim("a", "bc", LONG)).isTrue();
    }

    @Test
    void releaseAllowsTheNextClaim() {
        store.tryClaim("g1", "evt-1", LONG);

        store.release("g1", "evt-1");

        assertThat(store.tryClaim("g1", "evt-1", LONG)).isTrue();
        assertThat(store.tryClaim("g1", "evt-1", LONG)).isFalse();
    }

    @Test
    void releaseOfAnotherGroupLeavesTheClaim() {
        store.tryClaim("g1", "evt-1", LONG);

        store.release("g2", "evt-1");

        assertThat(store.tryClaim("g1", "evt-1", LONG)).isFalse();
    }

    @Test
    void releaseOfUnknownClaimIsHarmless() {
        store.release("g1", "never-claimed");

        assertThat(store.tryClaim("g1", "never-claimed", LONG)).isTrue();
    }

    @Test
    void claimExpiresAfterTtl() {
        assertThat(store.tryClaim("g1", "evt-1", Duration.ofMillis(1))).isTrue();

        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(5))
                .until(() -> store.tryClaim("g1", "evt-1", LONG));

        assertThat(store.tryClaim("g1", "evt-1", LONG)).isFalse();
    }

    @Test
    void unexpiredClaimIsNotExtendedByDuplicates() {
        assertThat(store.tryClaim("g1", "evt-1", Duration.ofMillis(50))).isTrue();
        // a duplicate with a long ttl must not push the original expiry out
        assertThat(store.tryClaim("g1", "evt-1", LONG)).isFalse();

        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(5))
                .until(() -> store.tryClaim("g1", "evt-1", Duration.ofMillis(1)));
    }

    @Test
    void exactlyOneConcurrentClaimWins() throws Exception {
        int threads = 8;
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(executor.submit(() -> {
                    go.await();
                    return store.tryClaim("g1", "evt-race", LONG);
                }));
            }
            go.countDown();

            int wins = 0;
            for (Future<Boolean> result : results) {
                wins += result.get(5, TimeUnit.SECONDS) ? 1 : 0;
            }

            assertThat(wins).isEqualTo(1);
        } finally {
            executor.shutdownNow();
        }
    }
}
