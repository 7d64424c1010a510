package dev.switchboard.jdbc;

import dev.switchboard.EventEnvelope;
import dev.switchboard.Messaging;
import dev.switchboard.Subscription;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What a consumer group received from a topic, in delivery order; events written by the tests carry
 * {@code "<key>:<sequence>"} as data. Thread-safe.
 */
final class Received {
    private final List<EventEnvelope> events = new CopyOnWriteArrayList<>();

    /** Subscribes a recording group to {@code topic}; returns once the subscription is registered. */
    static Received subscribe(Messaging messaging, String topic) {
        Received received = new Received();
        messaging.subscribe(Subscription.to(topic).group("outbox-test").onEnvelope((e, ctx) -> received.events.add(e)));
        return received;
    }

    List<EventEnvelope> all() {
        return List.copyOf(events);
    }

    Set<String> distinctIds() {
        Set<String> ids = new HashSet<>();
        events.forEach(e -> ids.add(e.id()));
        return ids;
    }

    /** Deliveries of an id already delivered. */
    int duplicates() {
        return events.size() - distinctIds().size();
    }

    /**
     * The keys whose events, taken at their first delivery, are not in strictly rising sequence, with that sequence:
     * empty when per-key order held.
     */
    Map<String, List<Integer>> keysOutOfOrder() {
        Set<String> seen = new HashSet<>();
        Map<String, List<Integer>> perKey = new LinkedHashMap<>();
        for (EventEnvelope event : events) {
            if (seen.add(event.id())) {
                String[] parts = event.dataAsString().split(":");
                perKey.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(Integer.parseInt(parts[1]));
            }
        }
        Map<String, List<Integer>> broken = new HashMap<>();
        perKey.forEach((key, sequence) -> {
            for (int i = 1; i < sequence.size(); i++) {
                if (sequence.get(i) <= sequence.get(i - 1)) {
                    broken.put(key, sequence);
                    return;
                }
            }
        });
        return broken;
    }
}
