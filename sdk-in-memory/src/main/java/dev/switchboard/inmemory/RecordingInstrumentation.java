package dev.switchboard.inmemory;

import dev.switchboard.ErrorCode;
import dev.switchboard.MessagingException;
import dev.switchboard.PublishResult;
import dev.switchboard.instrumentation.DeliveryContext;
import dev.switchboard.instrumentation.Instrumentation;
import dev.switchboard.instrumentation.Outcome;
import dev.switchboard.instrumentation.ProcessObservation;
import dev.switchboard.instrumentation.PublishContext;
import dev.switchboard.instrumentation.PublishObservation;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * Records what the runtime tells its observers — every publish and how it ended, every delivery and its outcome —
 * so that a unit test can assert on retries, dead letters, skips and duplicates as metrics and traces would see
 * them, without a metrics library. Register it on any {@code Messaging}; {@link InMemoryBroker#connect()}
 * registers the broker's own ({@link InMemoryBroker#outcomes()}).
 *
 * <pre>{@code
 * RecordingInstrumentation outcomes = broker.outcomes();
 * outcomes.awaitSettlement(s -> s.eventId().equals(id) && s.outcome().kind() == Outcome.Kind.DEAD_LETTERED);
 * assertThat(outcomes.count(Outcome.Kind.RETRY_SCHEDULED)).isEqualTo(2);
 * }</pre>
 *
 * <p>Thread-safe; awaits fail with an {@link AssertionError} that lists what was recorded.
 *
 * @since 0.2
 */
public final class RecordingInstrumentation implements Instrumentation {
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    private static final int SHOWN_IN_FAILURES = 20;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final int capacity;
    private final ArrayDeque<Publish> publishes = new ArrayDeque<>();
    private final ArrayDeque<Settlement> settlements = new ArrayDeque<>();

    /** Records everything. */
    public RecordingInstrumentation() {
        this(Integer.MAX_VALUE);
    }

    /** Keeps the newest {@code capacity} publishes and the newest {@code capacity} settlements. */
    public RecordingInstrumentation(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * One publish that ended.
     *
     * @param failure the error code if it failed, empty if the broker confirmed it
     */
    public record Publish(String system, String topic, String eventId, String type, Optional<ErrorCode> failure) {
    }

    /**
     * One settled delivery (one handler call of it, or none).
     *
     * @param handled whether a handler ran (false for duplicates, skipped types, malformed messages, and deliveries
     *     given back before they ran)
     * @param handlerFailure what the handler threw, if it did
     */
    public record Settlement(String system, String topic, String group, String eventId, String type, int attempt,
                             boolean handled, Optional<Throwable> handlerFailure, Outcome outcome) {
    }

    @Override
    public PublishObservation publishStarted(PublishContext publish) {
        String system = publish.system();
        String topic = publish.topic();
        String id = publish.envelope().id();
        String type = publish.envelope().type();
        return new PublishObservation() {
            @Override
            public void published(PublishResult result) {
                add(publishes, new Publish(system, topic, id, type, Optional.empty()));
            }

            @Override
            public void failed(MessagingException failure) {
                add(publishes, new Publish(system, topic, id, type, Optional.of(failure.code())));
            }
        };
    }

    @Override
    public ProcessObservation processStarted(DeliveryContext delivery) {
        return new ProcessObservation() {
            private volatile Throwable handlerFailure;

            @Override
            public void handlerEnded(Throwable failure) {
                handlerFailure = failure;
            }

            @Override
            public void settled(Outcome outcome) {
                add(settlements, settlement(delivery, true, handlerFailure, outcome));
            }
        };
    }

    @Override
    public void settledWithoutHandler(DeliveryContext delivery, Outcome outcome) {
        add(settlements, settlement(delivery, false, null, outcome));
    }

    /** Every publish that ended, in the order they ended. */
    public List<Publish> publishes() {
        return snapshot(publishes);
    }

    /** Every settled delivery, in the order they settled. */
    public List<Settlement> settlements() {
        return snapshot(settlements);
    }

    /** How many settlements had that outcome. */
    public long count(Outcome.Kind kind) {
        return settlements().stream().filter(s -> s.outcome().kind() == kind).count();
    }

    /** Waits up to 10 s for a settlement matching {@code condition}, and returns the first. */
    public Settlement awaitSettlement(Predicate<Settlement> condition) {
        return awaitSettlement(condition, DEFAULT_TIMEOUT);
    }

    /** Waits up to {@code timeout} for a settlement matching {@code condition}, and returns the first. */
    public Settlement awaitSettlement(Predicate<Settlement> condition, Duration timeout) {
        return await(settlements, condition, timeout, "a settlement matching the condition");
    }

    /** Waits up to 10 s for a publish matching {@code condition}, and returns the first. */
    public Publish awaitPublish(Predicate<Publish> condition) {
        return await(publishes, condition, DEFAULT_TIMEOUT, "a publish matching the condition");
    }

    /** Forgets what was recorded. */
    public void clear() {
        lock.lock();
        try {
            publishes.clear();
            settlements.clear();
        } finally {
            lock.unlock();
        }
    }

    private static Settlement settlement(DeliveryContext delivery, boolean handled, Throwable failure, Outcome outcome) {
        return new Settlement(delivery.system(), delivery.topic(), delivery.group(), delivery.envelope().id(),
                delivery.envelope().type(), delivery.attempt(), handled, Optional.ofNullable(failure), outcome);
    }

    private <T> void add(ArrayDeque<T> records, T record) {
        lock.lock();
        try {
            if (records.size() == capacity) {
                records.removeFirst();
            }
            records.add(record);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private <T> List<T> snapshot(ArrayDeque<T> records) {
        lock.lock();
        try {
            return List.copyOf(records);
        } finally {
            lock.unlock();
        }
    }

    private <T> T await(ArrayDeque<T> records, Predicate<T> condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (true) {
                for (T record : records) {
                    if (condition.test(record)) {
                        return record;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no " + what + " within " + timeout + "; " + records.size() + " recorded"
                            + (records.isEmpty() ? "" : ", such as:\n  " + String.join("\n  ", records.stream()
                            .limit(SHOWN_IN_FAILURES).map(String::valueOf).toList())));
                }
                changed.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + what, e);
        } finally {
            lock.unlock();
        }
    }
}
