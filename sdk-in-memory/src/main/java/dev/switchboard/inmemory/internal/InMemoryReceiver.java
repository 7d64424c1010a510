package dev.switchboard.inmemory.internal;

import dev.switchboard.Connectivity;
import dev.switchboard.ErrorCode;
import dev.switchboard.MessagingException;
import dev.switchboard.spi.InboundMessage;
import dev.switchboard.spi.OutboundMessage;
import dev.switchboard.spi.ReceiverDriver;
import dev.switchboard.spi.ReceiverSpec;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * Receives from one {@link GroupQueue}. Closing gives back every delivery it still holds, as a broker does
 * when a consumer's channel closes. Settling runs on the caller's thread and completes at once. Thread-safe.
 */
final class InMemoryReceiver implements ReceiverDriver {
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
        this.recordsConsumed = spec.source() == ReceiverSpec.Source.SUBSCRIPTION
                && engine.listener() != InMemoryEngine.Listener.NONE;
    }

    @Override
    public List<GroupQueue.Taken> receive(int max, Duration maxWait) throws InterruptedException {
        checkUsable();
        List<GroupQueue.Taken> taken = queue.take(this, max, maxWait);
        if (closed || !engine.isRunning()) {
            // the broker stopped (or this receiver closed) while we waited: what we took goes back to the queue,
            // as a real broker redelivers what it handed to a connection that dropped
            taken.forEach(t -> queue.nack(t, Duration.ZERO));
            checkUsable();
        }
        for (GroupQueue.Taken t : taken) {
            if (faults.duplicate()) {
                queue.offer(t.message());
            }
        }
        return taken;
    }

    @Override
    public CompletableFuture<Void> ack(List<InboundMessage> messages) {
        try {
            engine.checkRunning();
            for (InboundMessage message : messages) {
                GroupQueue.Taken taken = (GroupQueue.Taken) message;
                if (queue.ack(taken) && recordsConsumed) {
                    engine.listener().consumed(spec.topic(), spec.group(), InMemoryEngine.eventOf(taken.message()));
                }
            }
            return DONE;
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<Void> nack(List<InboundMessage> messages, Duration delay) {
        try {
            engine.checkRunning();
            for (InboundMessage message : messages) {
                queue.nack((GroupQueue.Taken) message, faults.delay(delay));
            }
            return DONE;
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<Void> deadLetter(InboundMessage original, OutboundMessage deadLetter) {
        try {
            engine.deadLetterQueue(spec.deadLetterDestination()).offer(deadLetter);
            if (engine.listener() != InMemoryEngine.Listener.NONE) {
                engine.listener().deadLettered(spec.topic(), spec.group(), InMemoryEngine.eventOf(deadLetter));
            }
            return DONE;
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Follows the broker's {@code stop()} and {@code start()}. */
    @Override
    public Connectivity connectivity() {
        return engine.connectivity();
    }

    /** The entries not yet acked: waiting, delayed for a retry, or in flight; empty while the broker is stopped. */
    @Override
    public OptionalLong lag() {
        return engine.isRunning() ? OptionalLong.of(queue.depth()) : OptionalLong.empty();
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
