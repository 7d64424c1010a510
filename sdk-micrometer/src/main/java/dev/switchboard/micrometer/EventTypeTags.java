package dev.switchboard.micrometer;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Bounds the {@code cloudevents.event_type} tag: the first {@code max} distinct types seen keep their name, every
 * later one is {@value #OTHER}. An event type is chosen by the publisher, and a tag value that grows without end
 * would grow every meter with it. Thread-safe; a type seen before costs one map look-up.
 */
final class EventTypeTags {
    /** The tag value of every type past the limit. */
    static final String OTHER = "_other";

    private final int max;
    private final ConcurrentHashMap<String, String> admitted = new ConcurrentHashMap<>();
    /** Set once {@code max} types are admitted: later new types go to {@link #OTHER} without taking the lock. */
    private volatile boolean full;

    EventTypeTags(int max) {
        this.max = checkLimit(max);
        this.full = max == 0;
    }

    /** {@code max}, if it is a valid limit. */
    static int checkLimit(int max) {
        if (max < 0) {
            throw new IllegalArgumentException("maxEventTypes must be at least 0, was " + max);
        }
        return max;
    }

    /** The tag value of {@code type}. */
    String tag(String type) {
        String tag = admitted.get(type);
        if (tag != null) {
            return tag;
        }
        if (full) {
            return OTHER;
        }
        synchronized (this) {
            tag = admitted.get(type);
            if (tag != null) {
                return tag;
            }
            if (admitted.size() >= max) {
                full = true;
                return OTHER;
            }
            admitted.put(type, type);
            full = admitted.size() >= max;
            return type;
        }
    }
}
