package dev.switchboard.internal.receive;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When an event handed back to the broker for redelivery first failed, so that its dead letter can say so
 * even though the redelivery is a new delivery. Best effort: per process, and bounded — when it holds too
 * many entries it forgets them all, and a dead letter then reports the first failure this process saw.
 */
final class FailureHistory {
    private static final int MAX_ENTRIES = 10_000;

    private final Map<String, OffsetDateTime> firstFailureById = new ConcurrentHashMap<>();

    void remember(String group, String eventId, OffsetDateTime firstFailure) {
        if (firstFailureById.size() >= MAX_ENTRIES) {
            firstFailureById.clear();
        }
        firstFailureById.putIfAbsent(key(group, eventId), firstFailure);
    }

    OffsetDateTime firstFailure(String group, String eventId) {
        return firstFailureById.get(key(group, eventId));
    }

    void forget(String group, String eventId) {
        if (!firstFailureById.isEmpty()) {
            firstFailureById.remove(key(group, eventId));
        }
    }

    private static String key(String group, String eventId) {
        return group + '\u0000' + eventId;
    }
}
