package dev.switchboard.spi;

import dev.switchboard.EventEnvelope;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Receives a group's deliveries (or its dead letters) and settles them. {@link #receive} is called from one
 * thread at a time; ack, nack and dead-letter may be called from any thread, concurrently.
 *
 * <p>Implementers: never deliver more than asked; a push client (amqp-client) fills a bounded buffer sized
 * from {@link ReceiverSpec#maxInFlight()}. Acks are idempotent. A delivery neither acked nor nacked when the
 * receiver closes is redelivered later, to this group.
 *
 * @since 0.1
 */
public interface SubscriberDriver extends AutoCloseable {
    /**
     * Waits up to {@code maxWait} for deliveries and returns at most {@code max} of them, or an empty list.
     *
     * @throws InterruptedException if the calling thread is interrupted while waiting
     */
    List<Delivery> receive(int max, Duration maxWait) throws InterruptedException;

    /** Acknowledges: the broker may forget the delivery. Completes when the broker took the ack. */
    CompletableFuture<Void> ack(Delivery delivery);

    /**
     * Gives the delivery back for redelivery to the group, after {@code delay} where the broker can
     * ({@link Capability#REDELIVERY_DELAY}); otherwise as soon as the broker does. The redelivery carries
     * an attempt count one higher.
     */
    CompletableFuture<Void> nack(Delivery delivery, Duration delay);

    /**
     * Writes {@code deadLetter} (the original envelope plus diagnostic extensions) to the group's dead-letter
     * destination. Completes when the broker confirmed the write; the core acks the original only after.
     */
    CompletableFuture<Void> deadLetter(Delivery delivery, EventEnvelope deadLetter);

    /**
     * Stops the flow of new deliveries while the in-flight ones are finished: called when a drain starts,
     * before the last acks and nacks. Settling must keep working. A push client cancels its consumer here, so
     * that what the drain gives back is not pushed straight back to this closing receiver. Default: nothing.
     */
    default void pause() {
    }

    /** Stops receiving; unsettled deliveries return to the broker. Idempotent. */
    @Override
    void close();
}
