package dev.switchboard.testkit.tck;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * What a test handler received, in arrival order; handlers add from dispatcher threads, the test reads.
 * Thread-safe.
 *
 * @param <T> what is recorded: an envelope, a payload, an id
 */
final class Inbox<T> {
    private final List<T> items = new ArrayList<>();

    synchronized void add(T item) {
        items.add(item);
    }

    synchronized int size() {
        return items.size();
    }

    synchronized List<T> snapshot() {
        return List.copyOf(items);
    }

    /** The recorded items mapped through {@code f}, for comparisons and failure messages. */
    synchronized <R> List<R> map(Function<? super T, ? extends R> f) {
        List<R> result = new ArrayList<>(items.size());
        items.forEach(item -> result.add(f.apply(item)));
        return result;
    }

    @Override
    public synchronized String toString() {
        if (items.size() > 50) {
            return items.size() + " items, first 50: " + items.subList(0, 50);
        }
        return items.toString();
    }
}
