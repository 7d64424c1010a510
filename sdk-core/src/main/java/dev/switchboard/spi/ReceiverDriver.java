package dev.switchboard.spi;

import dev.switchboard.Connectivity;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * Receives a group's messages (or its dead letters) and settles them. The core calls {@link #receive} from
 * at most {@link #maxConcurrentReceives()} threads at once; ack, nack and dead-letter from any thread,
 * concurrently.
 *
 * <p>Implementers: never hand out more than asked; a push client (amqp-client) fills a bounded buffer sized
 * from {@link ReceiverSpec#maxInFlight()}. Settling takes the messages this receiver handed out, must not
 * block on the network, and completes when the broker took the call. Acks are idempotent. A message neither
 * acked nor nacked when the receiver closes goes back to the group. Never retry and never classify: complete
 * exceptionally with the native failure.
 *
 * @since 0.1
 */
public interface ReceiverDriver extends AutoCloseable {
    /**
     * Waits up to {@code maxWait} for messages and returns at most {@code max} of them, or an empty list. A
     * failure is thrown as the native exception; the core backs off and calls again.
     *
     * @throws InterruptedException if the calling thread is interrupted while waiting
     */
    List<? extends InboundMessage> receive(int max, Duration maxWait) throws InterruptedException;

    /**
     * Called by a poller instead of {@link #receive}, about once per poll timeout, while the in-flight window is
     * full and the core takes no messages: a client that must keep calling its broker to stay in its group (Kafka's
     * {@code max.poll.interval.ms}) does so here without handing anything out, so that a slow handler never costs
     * the member its place. Default: nothing.
     *
     * @since 0.2
     * @throws InterruptedException if the calling thread is interrupted while waiting
     */
    default void keepAlive() throws InterruptedException {
    }

    /** How many threads may be inside {@link #receive} at once (SQS long polls in parallel); default 1. */
    default int maxConcurrentReceives() {
        return 1;
    }

    /**
     * How long a subscription's receive should wait when nothing is there, where the broker charges per call and
     * long-polls well (SQS: up to 20 s): the core waits at least this long instead of its poll timeout. A drain
     * interrupts a receive, so a driver that declares a wait must return at once when interrupted. Default zero.
     */
    default Duration preferredWait() {
        return Duration.ZERO;
    }

    /** How the core may batch {@link #ack} and {@link #nack} calls; default one message per call. */
    default Batching settlementBatching() {
        return Batching.NONE;
    }

    /**
     * Acknowledges: the broker may forget the messages. The future must complete on its own (when the broker
     * took the ack, or when the driver holds it for a flush that is already scheduled), never only once the
     * receiver closes: a drain waits for outstanding acks before it closes the receiver.
     */
    CompletableFuture<Void> ack(List<InboundMessage> messages);

    /**
     * Gives the messages back for redelivery to the group, after {@code delay} where the broker keeps it
     * ({@link Capability#REDELIVERY_DELAY}; otherwise the core never asks for a delay). The redelivery carries
     * an attempt count one higher. Drivers whose broker cannot give a message back while the receiver runs
     * (Kafka) leave it unsettled: it returns to the group when the receiver closes.
     */
    CompletableFuture<Void> nack(List<InboundMessage> messages, Duration delay);

    /**
     * Writes {@code deadLetter} (the original event plus diagnostic attributes) to the group's dead-letter
     * destination ({@link ReceiverSpec#deadLetterDestination()}). Completes when the broker confirmed the
     * write; the core acks {@code original} only after.
     */
    CompletableFuture<Void> deadLetter(InboundMessage original, OutboundMessage deadLetter);

    /**
     * Stops the flow of new messages while the in-flight ones are finished: called when a drain starts, before
     * the last acks and nacks. Settling must keep working. A push client cancels its consumer here, so that
     * what the drain gives back is not pushed straight back to this closing receiver. Default: nothing.
     */
    default void pause() {
    }

    /** Stops receiving; unsettled messages return to the broker. Idempotent. */
    @Override
    void close();

    /**
     * Whether this receiver's connection is up, as far as the client knows, for {@code Messaging.health()}; called
     * from any thread, must be cheap (no round trip). Default {@link Connectivity#UNKNOWN}: the core then judges
     * by whether receives succeed.
     */
    default Connectivity connectivity() {
        return Connectivity.UNKNOWN;
    }

    /**
     * Messages of the group not yet acknowledged, as the broker counts them; empty where it cannot tell. May cost
     * one round trip, bounded by the connect timeout; called from any thread, at most about once a second.
     */
    default OptionalLong lag() {
        return OptionalLong.empty();
    }
}
