package dev.switchboard.internal;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * The current time in UTC for event times and failure times. {@code OffsetDateTime.now(ZoneOffset.UTC)} looks up
 * the offset's zone rules, and in JDK 17 {@code ZoneOffset.getRules()} builds a new rules object (with a hash
 * map) on every call — a cost on every publish. Stateless and thread-safe.
 */
public final class UtcClock {
    private UtcClock() {
    }

    public static OffsetDateTime now() {
        Instant now = Instant.now();
        return OffsetDateTime.of(LocalDateTime.ofEpochSecond(now.getEpochSecond(), now.getNano(), ZoneOffset.UTC),
                ZoneOffset.UTC);
    }
}
