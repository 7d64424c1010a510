package dev.switchboard.internal.receive;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Runs work for the same key one item at a time, in submission order, while different keys run
 * concurrently. A key is busy from {@link #submit} until {@link #finished}; items submitted meanwhile wait in
 * the key's queue. Lanes exist only while busy, so memory follows the keys in flight, not all keys ever
 * seen. Thread-safe.
 *
 * @param <T> the work item
 */
final class KeyedLanes<T> {
    /** Present key = busy; the deque holds the items waiting behind the running one. */
    private final Map<String, ArrayDeque<T>> waiting = new ConcurrentHashMap<>();
    private final Consumer<T> start;

    KeyedLanes(Consumer<T> start) {
        this.start = start;
    }

    void submit(String key, T item) {
        boolean[] idle = {false};
        waiting.compute(key, (k, queue) -> {
            if (queue == null) {
                idle[0] = true;
                return new ArrayDeque<>(2);
            }
            queue.add(item);
            return queue;
        });
        if (idle[0]) {
            start.accept(item);
        }
    }

    /** The running item of {@code key} is done; starts the next one, if any. */
    void finished(String key) {
        Object[] next = {null};
        waiting.computeIfPresent(key, (k, queue) -> {
            next[0] = queue.poll();
            return next[0] == null ? null : queue;
        });
        if (next[0] != null) {
            @SuppressWarnings("unchecked")
            T item = (T) next[0];
            start.accept(item);
        }
    }
}
