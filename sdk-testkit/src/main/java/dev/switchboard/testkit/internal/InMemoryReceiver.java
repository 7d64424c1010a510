package dev.switchboard.testkit.internal;

import dev.switchboard.ErrorCode;
import dev.switchboard.EventEnvelope;
import dev.switchboard.MessagingException;
import dev.switchboard.spi.Delivery;
import dev.switchboard.spi.ReceiverSpec;
import dev.switchboard.spi.SubscriberDriver;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Receives from one {@link GroupQueue}. Closing gives back every delivery it still holds, as a broker does
 * when a consumer's channel closes. Settling runs on the caller's thread and completes at once. Thread-safe.
 */
final class InMemoryReceiver implements SubscriberDriver {
    /** Every settlement's result: completed, shared (callers only chain on it). */
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final InMemoryEngine engine;
    private final ReceiverSpec spec;
    private final GroupQueue queue;
    private final FaultInjector faults;
    private final boolean recordsConsumed;
    private volatile boolean closed;

    InMemoryReceiver(InMemoryEngine engine, ReceiverSpec spec, GroupQueue queue, FaultInjector faults) {
        this.engine = engine;
        this.spec = spec;
        this.queue = queue;
        this.faults = faults;
        this.recordsConsumed = spec.source() == ReceiverSpec.Source.SUBSCRIPTION;
    }

    @Override
    public List<Delivery> receive(int max, Duration maxWait) throws InterruptedException {
        checkUsable();
        List<GroupQueue.Taken> taken = queue.take(this, max, maxWait);
        checkUsable();
        for (GroupQueue.Taken t : taken) {
            if (faults.duplicate()) {
                queue.offer(t.envelope());
            }
        }
        return Collections.unmodifiableList(taken);
    }

    @Override
    public CompletableFuture<Void> ack(Delivery delivery) {
        try {
            engine.checkRunning();
            if (queue.ack((GroupQueue.Taken) delivery) && recordsConsumed) {
                engine.listener().consumed(spec.topic(), spec.group(), delivery.envelope());
            }
            return DONE;
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<Void> nack(Delivery delivery, Duration delay) {
        try {
            engine.checkRunning();
            queue.nack((GroupQueue.Taken) delivery, faults.delay(delay));
            return DONE;
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<Void> deadLetter(Delivery delivery, EventEnvelope deadLetter) {
        try {
            engine.deadLetterQueue(spec.deadLetterDestination()).offer(deadLetter);
            engine.listener().deadLettered(spec.topic(), spec.group(), deadLetter);
            return DONE;
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public void close() {
        closed = true;
        queue.giveBack(this);
    }

    private void checkUsable() {
        if (closed) {
            throw new MessagingException(ErrorCode.CANCELLED, "receiver of " + spec.topic() + "/" + spec.group() + " is closed");
        }
        engine.checkRunning();
    }
}
