package dev.switchboard.inmemory;

import dev.switchboard.EventEnvelope;
import dev.switchboard.PayloadCodec;
import dev.switchboard.TypeRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Events an {@link InMemoryBroker} recorded (published, consumed or dead-lettered), with awaitable
 * assertions for tests.
 *
 * <pre>{@code
 * OrderShipped shipped = broker.published().onTopic("shipping")
 *     .await(OrderShipped.class, s -> s.orderId().equals("o-1"));
 * broker.deadLettered().inGroup("payments").within(Duration.ofSeconds(10)).awaitCount(1);
 * }</pre>
 *
 * <p>Views ({@link #onTopic}, {@link #inGroup}, {@link #ofType}, {@link #within}) are cheap and share the
 * recording. An await that times out fails with an {@link AssertionError} that lists what did arrive.
 * Payloads are decoded as JSON, with the event type taken from {@code @EventType} or the class name.
 * What is kept depends on the broker's {@link Journal}: a bounded journal keeps only the newest events, and
 * with the journal off every query fails with an {@link IllegalStateException}. Thread-safe.
 *
 * @since 0.1
 */
public final class RecordedEvents {
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    private static final int SHOWN_IN_FAILURES = 20;

    private final Store store;
    private final String description;
    private final Predicate<Recorded> filter;
    private final Duration timeout;
    private final PayloadCodec codec = PayloadCodec.json();
    private final TypeRegistry types = new TypeRegistry();

    RecordedEvents(String what) {
        this(what, Journal.all());
    }

    RecordedEvents(String what, Journal journal) {
        this(new Store(journal), what, r -> true, DEFAULT_TIMEOUT);
    }

    private RecordedEvents(Store store, String description, Predicate<Recorded> filter, Duration timeout) {
        this.store = store;
        this.description = description;
        this.filter = filter;
        this.timeout = timeout;
    }

    /**
     * One recorded event.
     *
     * @param topic its topic
     * @param group the group, or null for published events
     * @param envelope the envelope
     * @param at when it was recorded
     */
    public record Recorded(String topic, String group, EventEnvelope envelope, Instant at) {
    }

    public RecordedEvents onTopic(String topic) {
        return view(" on topic " + topic, r -> r.topic().equals(topic));
    }

    public RecordedEvents inGroup(String group) {
        return view(" in group " + group, r -> group.equals(r.group()));
    }

    public RecordedEvents ofType(String type) {
        return view(" of type " + type, r -> r.envelope().type().equals(type));
    }

    /** The same view, awaiting for at most {@code timeout} (default 10 s). */
    public RecordedEvents within(Duration timeout) {
        return new RecordedEvents(store, description, filter, Objects.requireNonNull(timeout, "timeout"));
    }

    /**
     * What is recorded now, in recording order.
     *
     * @throws IllegalStateException if the broker's journal is off
     */
    public List<Recorded> records() {
        return store.snapshot().stream().filter(filter).toList();
    }

    public List<EventEnvelope> envelopes() {
        return records().stream().map(Recorded::envelope).toList();
    }

    public int count() {
        return records().size();
    }

    /** Waits for an envelope that matches, and returns the first one. */
    public EventEnvelope awaitEnvelope(Predicate<EventEnvelope> condition) {
        return awaitMatching("an event matching the condition", r -> condition.test(r.envelope())).envelope();
    }

    /** Waits for an event of {@code payloadClass}'s type, and returns its decoded payload. */
    public <T> T await(Class<T> payloadClass) {
        return await(payloadClass, p -> true);
    }

    /** Waits for an event of {@code payloadClass}'s type whose decoded payload matches. */
    public <T> T await(Class<T> payloadClass, Predicate<? super T> condition) {
        String type = types.typeOf(payloadClass);
        Recorded match = awaitMatching("a " + payloadClass.getSimpleName() + " (type " + type + ") matching the condition",
                r -> r.envelope().type().equals(type) && condition.test(decode(r.envelope(), payloadClass)));
        return decode(match.envelope(), payloadClass);
    }

    /** Waits until at least {@code count} events are recorded here; returns them all. */
    public List<EventEnvelope> awaitCount(int count) {
        awaitState("at least " + count + " events", records -> records.size() >= count);
        return envelopes();
    }

    /** Fails if an event matching {@code condition} is recorded now or within {@code quietPeriod}. */
    public void assertNoneWithin(Duration quietPeriod, Predicate<EventEnvelope> condition) {
        long deadline = System.nanoTime() + quietPeriod.toNanos();
        store.lock.lock();
        try {
            while (true) {
                List<Recorded> matching = records().stream().filter(r -> condition.test(r.envelope())).toList();
                if (!matching.isEmpty()) {
                    throw new AssertionError("expected no such event " + description + ", but got " + describe(matching));
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return;
                }
                store.changed.awaitNanos(remaining);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while watching " + description, e);
        } finally {
            store.lock.unlock();
        }
    }

    void record(String topic, String group, EventEnvelope envelope) {
        store.add(new Recorded(topic, group, envelope, Instant.now()));
    }

    void clear() {
        store.clear();
    }

    private RecordedEvents view(String more, Predicate<Recorded> condition) {
        return new RecordedEvents(store, description + more, filter.and(condition), timeout);
    }

    private Recorded awaitMatching(String what, Predicate<Recorded> condition) {
        List<Recorded> found = awaitState(what, records -> records.stream().anyMatch(condition));
        return found.stream().filter(condition).findFirst().orElseThrow();
    }

    private List<Recorded> awaitState(String what, Predicate<List<Recorded>> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        store.lock.lock();
        try {
            while (true) {
                List<Recorded> records = records();
                if (done.test(records)) {
                    return records;
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    throw new AssertionError("expected " + what + " " + description + " within " + timeout
                            + ", but " + describe(records) + store.forgottenNote());
                }
                store.changed.awaitNanos(Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(100)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while awaiting " + what + " " + description, e);
        } finally {
            store.lock.unlock();
        }
    }

    private <T> T decode(EventEnvelope envelope, Class<T> payloadClass) {
        try {
            return codec.decode(envelope.data(), payloadClass);
        } catch (Exception e) {
            throw new AssertionError("event " + envelope.id() + " of type " + envelope.type()
                    + " cannot be decoded as " + payloadClass.getName() + ": " + e.getMessage(), e);
        }
    }

    private static String describe(List<Recorded> records) {
        if (records.isEmpty()) {
            return "nothing was recorded";
        }
        String shown = records.stream().limit(SHOWN_IN_FAILURES)
                .map(r -> "\n  " + r.topic() + (r.group() == null ? "" : "/" + r.group()) + " type=" + r.envelope().type()
                        + " id=" + r.envelope().id() + r.envelope().partitionKey().map(k -> " key=" + k).orElse("")
                        + " data=" + abbreviate(r.envelope().dataAsString()))
                .collect(Collectors.joining());
        return records.size() + " recorded:" + shown
                + (records.size() > SHOWN_IN_FAILURES ? "\n  … and " + (records.size() - SHOWN_IN_FAILURES) + " more" : "");
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "…";
    }

    /** The shared recording, bounded by the journal, with a condition signalled on every change. */
    private static final class Store {
        final ReentrantLock lock = new ReentrantLock();
        final Condition changed = lock.newCondition();
        private final Journal journal;
        private final ArrayDeque<Recorded> records = new ArrayDeque<>();
        private long forgotten;

        Store(Journal journal) {
            this.journal = journal;
        }

        void add(Recorded record) {
            if (journal.isOff()) {
                return;
            }
            lock.lock();
            try {
                if (records.size() == journal.capacity()) {
                    records.removeFirst();
                    forgotten++;
                }
                records.addLast(record);
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        List<Recorded> snapshot() {
            if (journal.isOff()) {
                throw new IllegalStateException("the in-memory broker's journal is off (switchboard.in-memory.journal=off):"
                        + " it records nothing to assert on; create the broker with Journal.all() or Journal.last(n)");
            }
            lock.lock();
            try {
                return new ArrayList<>(records);
            } finally {
                lock.unlock();
            }
        }

        /** Why older records are missing, if some are; empty otherwise. */
        String forgottenNote() {
            lock.lock();
            try {
                return forgotten == 0 ? "" : " (" + forgotten + " older ones forgotten: the journal keeps the last "
                        + journal.capacity() + ")";
            } finally {
                lock.unlock();
            }
        }

        void clear() {
            lock.lock();
            try {
                records.clear();
                forgotten = 0;
            } finally {
                lock.unlock();
            }
        }
    }
}
