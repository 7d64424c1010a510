package dev.switchboard.testkit.internal;

import dev.switchboard.ErrorCode;
import dev.switchboard.EventEnvelope;
import dev.switchboard.MessagingException;
import dev.switchboard.spi.Delivery;
import dev.switchboard.spi.ReceiverSpec;
import dev.switchboard.spi.SubscriberDriver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Receives from one {@link GroupQueue}. Closing gives back every delivery it still holds, as a broker does
 * when a consumer's channel closes.
 */
final class InMemoryReceiver implements SubscriberDriver {
    private final InMemoryEngine engine;
    private final ReceiverSpec spec;
    private final GroupQueue queue;
    private final FaultInjector faults;
    private final Set<InMemoryDelivery> unsettled = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    InMemoryReceiver(InMemoryEngine engine, ReceiverSpec spec, GroupQueue queue, FaultInjector faults) {
        this.engine = engine;
        this.spec = spec;
        this.queue = queue;
        this.faults = faults;
    }

    @Override
    public List<Delivery> receive(int max, Duration maxWait) throws InterruptedException {
        checkUsable();
        List<GroupQueue.Taken> taken = queue.take(max, maxWait);
        checkUsable();
        List<Delivery> deliveries = new ArrayList<>(taken.size());
        for (GroupQueue.Taken t : taken) {
            InMemoryDelivery delivery = new InMemoryDelivery(queue, t);
            unsettled.add(delivery);
            deliveries.add(delivery);
            if (faults.duplicate()) {
                queue.offer(t.envelope());
            }
        }
        return deliveries;
    }

    @Override
    public CompletableFuture<Void> ack(Delivery delivery) {
        return settle(delivery, () -> {
            InMemoryDelivery d = (InMemoryDelivery) delivery;
            if (d.queue().ack(d.taken()) && spec.source() == ReceiverSpec.Source.SUBSCRIPTION) {
                engine.listener().consumed(spec.topic(), spec.group(), d.envelope());
            }
        });
    }

    @Override
    public CompletableFuture<Void> nack(Delivery delivery, Duration delay) {
        return settle(delivery, () -> {
            InMemoryDelivery d = (InMemoryDelivery) delivery;
            d.queue().nack(d.taken(), faults.delay(delay));
        });
    }

    @Override
    public CompletableFuture<Void> deadLetter(Delivery delivery, EventEnvelope deadLetter) {
        try {
            engine.deadLetterQueue(spec.deadLetterDestination()).offer(deadLetter);
            engine.listener().deadLettered(spec.topic(), spec.group(), deadLetter);
            return CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public void close() {
        closed = true;
        for (InMemoryDelivery d : unsettled) {
            d.queue().nack(d.taken(), Duration.ZERO);
        }
        unsettled.clear();
    }

    private CompletableFuture<Void> settle(Delivery delivery, Runnable action) {
        try {
            engine.checkRunning();
            action.run();
            unsettled.remove((InMemoryDelivery) delivery);
            return CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void checkUsable() {
        if (closed) {
            throw new MessagingException(ErrorCode.CANCELLED, "receiver of " + spec.topic() + "/" + spec.group() + " is closed");
        }
        engine.checkRunning();
    }
}
