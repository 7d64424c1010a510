package dev.switchboard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class UtcClockTest {
    @Test
    void isTheCurrentInstantAtOffsetZero() {
        Instant before = Instant.now();
        OffsetDateTime now = UtcClock.now();
        Instant after = Instant.now();

        assertThat(now.getOffset()).isEqualTo(ZoneOffset.UTC);
        assertThat(now.toInstant()).isBetween(before, after);
    }
}
