package dev.switchboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventIdsTest {
    @Test
    void idsAreVersion7UuidsWithTheCurrentTimeAndTheRfcVariant() {
        long before = System.currentTimeMillis();
        UUID id = UUID.fromString(EventIds.next());
        long after = System.currentTimeMillis();

        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.getMostSignificantBits() >>> 16).isBetween(before, after);
    }

    @Test
    void idsAreDistinctAndSortByMillisecond() {
        Set<String> seen = new HashSet<>();
        String previous = EventIds.next();
        for (int i = 0; i < 100_000; i++) {
            String next = EventIds.next();
            assertThat(seen.add(next)).as("duplicate id %s", next).isTrue();
            assertThat(next.substring(0, 13)).isGreaterThanOrEqualTo(previous.substring(0, 13));
            previous = next;
        }
    }

    @Test
    void builtEnvelopesWithoutAnIdGetOne() {
        EventEnvelope envelope = EventEnvelope.builder().type("t").build();
        assertThat(UUID.fromString(envelope.id()).version()).isEqualTo(7);
    }
}
