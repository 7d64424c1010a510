package dev.switchboard;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ids for envelopes that were given none: UUID version 7 (RFC 9562) — the Unix time in milliseconds, then 74
 * random bits — so ids sort by creation time and two ids collide only if made in the same millisecond with the
 * same 74 random bits. The random bits come from {@link ThreadLocalRandom}: event ids must be unique, not
 * unguessable, and {@link UUID#randomUUID()}'s {@code SecureRandom} is a lock and a measurable cost per event.
 * Thread-safe.
 */
final class EventIds {
    private EventIds() {
    }

    static String next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long millis = System.currentTimeMillis();
        long mostSignificant = (millis << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
        long leastSignificant = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(mostSignificant, leastSignificant).toString();
    }
}
