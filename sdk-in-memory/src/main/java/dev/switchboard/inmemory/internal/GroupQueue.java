package dev.switchboard.inmemory.internal;

import dev.switchboard.Payload;
import dev.switchboard.spi.InboundMessage;
import dev.switchboard.spi.OutboundMessage;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
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
 * of a stale delivery (one the queue already took back, after a restart) is ignored. Thread-safe: one lock
 * guards the whole queue.
 *
 * <p>Cost: entries that were never passed over wait in an {@link ArrayDeque}; only those that come back (a
 * nack, a restart) or were passed over because their key was in flight wait in a sorted map, and a receive
 * merges the two by sequence. In-flight entries form an intrusive list, so that a delivery costs no map
 * entry; the delivery handed out ({@link Taken}) points at its entry.
 */
public final class GroupQueue {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Entry> fresh = new ArrayDeque<>();
    private final TreeMap<Long, Entry> setAside = new TreeMap<>();
    private final Entry inFlight = Entry.sentinel();
    private final Set<String> keysInFlight = new HashSet<>();
    private int inFlightCount;
    private long nextSequence;

    /** Appends a message, as the core sent it. */
    public void offer(OutboundMessage message) {
        String key = message.key();
        lock.lock();
        try {
            fresh.addLast(new Entry(nextSequence++, message, key));
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes up to {@code max} available entries for {@code holder}, waiting at most {@code maxWait} for the first.
     *
     * @param holder who takes them, for {@link #giveBack}
     * @return the deliveries, each stamped with its delivery count and a generation for stale detection
     */
    public List<Taken> take(Object holder, int max, Duration maxWait) throws InterruptedException {
        long deadline = System.nanoTime() + maxWait.toNanos();
        lock.lockInterruptibly();
        try {
            while (true) {
                long now = System.nanoTime();
                List<Taken> taken = new ArrayList<>(Math.min(max, fresh.size() + setAside.size()));
                long nextAvailable = takeAvailable(holder, max, now, taken);
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

    /**
     * Moves the oldest available entries, in sequence order across both waiting structures, into {@code taken}.
     *
     * @return when the earliest entry still delayed becomes available, or {@link Long#MAX_VALUE}
     */
    private long takeAvailable(Object holder, int max, long now, List<Taken> taken) {
        long nextAvailable = Long.MAX_VALUE;
        List<Entry> passedOver = null;
        Iterator<Entry> aside = setAside.isEmpty() ? null : setAside.values().iterator();
        Entry candidate = next(aside);
        while (taken.size() < max) {
            Entry head = fresh.peekFirst();
            if (candidate != null && (head == null || candidate.sequence < head.sequence)) {
                if (candidate.availableAt - now > 0) {
                    nextAvailable = Math.min(nextAvailable, candidate.availableAt);
                } else if (candidate.key == null || keysInFlight.add(candidate.key)) {
                    aside.remove();
                    taken.add(handOut(candidate, holder));
                }
                candidate = next(aside);
            } else if (head != null) {
                fresh.removeFirst();
                if (head.key == null || keysInFlight.add(head.key)) {
                    taken.add(handOut(head, holder));
                } else {
                    if (passedOver == null) {
                        passedOver = new ArrayList<>();
                    }
                    passedOver.add(head);
                }
            } else {
                break;
            }
        }
        if (passedOver != null) {
            passedOver.forEach(this::setAside);
        }
        return nextAvailable;
    }

    private static Entry next(Iterator<Entry> entries) {
        return entries != null && entries.hasNext() ? entries.next() : null;
    }

    private Taken handOut(Entry entry, Object holder) {
        entry.deliveries++;
        entry.generation++;
        entry.holder = holder;
        entry.linkAfter(inFlight);
        inFlightCount++;
        return new Taken(entry);
    }

    /** Removes a delivered entry for good. False if the delivery is stale (already settled or taken back). */
    public boolean ack(Taken delivery) {
        lock.lock();
        try {
            Entry entry = current(delivery);
            if (entry == null) {
                return false;
            }
            settle(entry);
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
            settle(entry);
            entry.availableAt = System.nanoTime() + delay.toNanos();
            setAside(entry);
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Returns every entry {@code holder} still has in flight to its place, available at once. */
    public void giveBack(Object holder) {
        lock.lock();
        try {
            for (Entry entry = inFlight.next; entry != inFlight; ) {
                Entry following = entry.next;
                if (entry.holder == holder) {
                    settle(entry);
                    entry.availableAt = System.nanoTime();
                    setAside(entry);
                }
                entry = following;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Takes back everything in flight, as a broker does when its consumers' connections drop. */
    public void recoverInFlight() {
        lock.lock();
        try {
            while (inFlight.next != inFlight) {
                Entry entry = inFlight.next;
                entry.generation++;
                settle(entry);
                entry.availableAt = 0;
                setAside(entry);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waiting plus in-flight entries. */
    public int depth() {
        lock.lock();
        try {
            return fresh.size() + setAside.size() + inFlightCount;
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
        Entry entry = delivery.entry;
        return entry.isLinked() && entry.generation == delivery.generation ? entry : null;
    }

    /** Ends the entry's time in flight; a released key may make waiting entries available. */
    private void settle(Entry entry) {
        entry.unlink();
        entry.holder = null;
        inFlightCount--;
        if (entry.key != null) {
            keysInFlight.remove(entry.key);
            changed.signalAll();
        }
    }

    private void setAside(Entry entry) {
        setAside.put(entry.sequence, entry);
    }

    /**
     * One delivery of an entry, as the in-memory driver hands it to the core: the message as it was sent (the
     * core takes the event back through {@link #unwrap} instead of decoding it), and which delivery of the entry
     * it is, so that a settlement after the entry was taken back is recognised as stale. Identity equality (a
     * record's would hash the payload). Immutable.
     */
    public static final class Taken implements InboundMessage {
        private final Entry entry;
        private final long generation;
        private final int deliveryCount;

        private Taken(Entry entry) {
            this.entry = entry;
            this.generation = entry.generation;
            this.deliveryCount = entry.deliveries;
        }

        /** The message as the core sent it. */
        public OutboundMessage message() {
            return entry.message;
        }

        @Override
        public void forEachHeader(BiConsumer<String, String> visitor) {
            entry.message.forEachAttribute(InMemoryDriver.ATTRIBUTE_PREFIX, visitor);
        }

        @Override
        public String contentType() {
            return entry.message.contentType();
        }

        @Override
        public Payload body() {
            return entry.message.body();
        }

        /** The key read once, when the entry was queued. */
        @Override
        public String key() {
            return entry.key;
        }

        @Override
        public String transportId() {
            return entry.message.id();
        }

        /** How many times the entry has been delivered, this time included. */
        @Override
        public int attempt() {
            return deliveryCount;
        }

        /** The event as published ({@code EventEnvelope}), as the message carries it. */
        @Override
        public <T> Optional<T> unwrap(Class<T> type) {
            return entry.message.unwrap(type);
        }
    }

    /** A queued event; guarded by the queue's lock. In flight, it is linked into the queue's in-flight list. */
    private static final class Entry {
        final long sequence;
        final OutboundMessage message;
        final String key;
        int deliveries;
        long generation;
        long availableAt;
        Object holder;
        Entry previous;
        Entry next;

        Entry(long sequence, OutboundMessage message, String key) {
            this.sequence = sequence;
            this.message = message;
            this.key = key;
        }

        /** The head of an empty circular list. */
        static Entry sentinel() {
            Entry head = new Entry(-1, null, null);
            head.previous = head;
            head.next = head;
            return head;
        }

        void linkAfter(Entry head) {
            previous = head;
            next = head.next;
            head.next.previous = this;
            head.next = this;
        }

        void unlink() {
            previous.next = next;
            next.previous = previous;
            previous = null;
            next = null;
        }

        boolean isLinked() {
            return next != null;
        }
    }
}
