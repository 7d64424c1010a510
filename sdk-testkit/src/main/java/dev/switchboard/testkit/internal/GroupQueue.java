package dev.switchboard.testkit.internal;

import dev.switchboard.EventEnvelope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The queue of one group (or of one dead-letter destination): what a broker keeps for a consumer group.
 *
 * <p>Entries wait in publish order. A receive takes the oldest available entries whose partition key is not
 * already in flight, so one key is only ever with one consumer at a time, in order (the semantics of SQS
 * FIFO message groups). A nacked entry returns to its original position, after its delay. An ack or nack
 * of a stale delivery (one the queue already took back, after a restart) is ignored. Thread-safe.
 */
public final class GroupQueue {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final TreeMap<Long, Entry> waiting = new TreeMap<>();
    private final Map<Long, Entry> inFlight = new HashMap<>();
    private final Set<String> keysInFlight = new HashSet<>();
    private long nextSequence;

    /** Appends an envelope. */
    public void offer(EventEnvelope envelope) {
        lock.lock();
        try {
            Entry entry = new Entry(nextSequence++, envelope);
            waiting.put(entry.sequence, entry);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes up to {@code max} available entries, waiting at most {@code maxWait} for the first.
     *
     * @return the deliveries, each stamped with its delivery count and a generation for stale detection
     */
    public List<Taken> take(int max, Duration maxWait) throws InterruptedException {
        long deadline = System.nanoTime() + maxWait.toNanos();
        lock.lockInterruptibly();
        try {
            while (true) {
                long now = System.nanoTime();
                long nextAvailable = Long.MAX_VALUE;
                List<Taken> taken = new ArrayList<>();
                for (Iterator<Entry> it = waiting.values().iterator(); it.hasNext() && taken.size() < max; ) {
                    Entry entry = it.next();
                    if (entry.availableAt - now > 0) {
                        nextAvailable = Math.min(nextAvailable, entry.availableAt);
                        continue;
                    }
                    String key = entry.key();
                    if (key != null && !keysInFlight.add(key)) {
                        continue;
                    }
                    it.remove();
                    entry.deliveries++;
                    entry.generation++;
                    inFlight.put(entry.sequence, entry);
                    taken.add(new Taken(entry.sequence, entry.generation, entry.envelope, entry.deliveries));
                }
                long remaining = deadline - now;
                if (!taken.isEmpty() || remaining <= 0) {
                    return taken;
                }
                long wait = nextAvailable == Long.MAX_VALUE ? remaining : Math.min(remaining, nextAvailable - now);
                changed.awaitNanos(Math.max(wait, TimeUnit.MICROSECONDS.toNanos(100)));
            }
        } finally {
            lock.unlock();
        }
    }

    /** Removes a delivered entry for good. False if the delivery is stale (already settled or taken back). */
    public boolean ack(Taken delivery) {
        lock.lock();
        try {
            Entry entry = current(delivery);
            if (entry == null) {
                return false;
            }
            inFlight.remove(entry.sequence);
            release(entry);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Returns a delivered entry to its place, available after {@code delay}. False if stale. */
    public boolean nack(Taken delivery, Duration delay) {
        lock.lock();
        try {
            Entry entry = current(delivery);
            if (entry == null) {
                return false;
            }
            inFlight.remove(entry.sequence);
            entry.availableAt = System.nanoTime() + delay.toNanos();
            waiting.put(entry.sequence, entry);
            release(entry);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Takes back everything in flight, as a broker does when its consumers' connections drop. */
    public void recoverInFlight() {
        lock.lock();
        try {
            for (Entry entry : inFlight.values()) {
                entry.generation++;
                entry.availableAt = 0;
                waiting.put(entry.sequence, entry);
            }
            inFlight.clear();
            keysInFlight.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waiting plus in-flight entries. */
    public int depth() {
        lock.lock();
        try {
            return waiting.size() + inFlight.size();
        } finally {
            lock.unlock();
        }
    }

    /** Wakes receivers, for example so that they notice the broker stopped. */
    public void wakeUp() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private Entry current(Taken delivery) {
        Entry entry = inFlight.get(delivery.sequence());
        return entry != null && entry.generation == delivery.generation() ? entry : null;
    }

    private void release(Entry entry) {
        String key = entry.key();
        if (key != null) {
            keysInFlight.remove(key);
        }
        changed.signalAll();
    }

    /**
     * One delivery of an entry.
     *
     * @param sequence the entry's position in the queue
     * @param generation which delivery of the entry this is, to recognise stale settlements
     * @param envelope the event
     * @param deliveryCount how many times the entry has been delivered, this time included
     */
    public record Taken(long sequence, long generation, EventEnvelope envelope, int deliveryCount) {
    }

    private static final class Entry {
        final long sequence;
        final EventEnvelope envelope;
        int deliveries;
        long generation;
        long availableAt;

        Entry(long sequence, EventEnvelope envelope) {
            this.sequence = sequence;
            this.envelope = envelope;
        }

        String key() {
            return envelope.partitionKey().orElse(null);
        }
    }
}
