package dev.switchboard.spi;

import dev.switchboard.EventEnvelope;
import java.util.Optional;

/**
 * A delivery whose envelope is decoded on first use — in the core, on the handler's thread — instead of on the
 * thread that received the message, which then only receives. Drivers extend it with what they need to ack
 * and implement {@link #decode()}; an ordering key they can read without decoding goes in
 * {@link #partitionKey()}.
 *
 * <p>Thread-safe. Decoding is deterministic, so two threads racing to decode build equal envelopes and either
 * result may be kept.
 *
 * @since 0.1
 */
public abstract class LazyDelivery implements Delivery {
    private final int attempt;
    private volatile CloudEventAttributes.Read read;

    /**
     * @param attempt the delivery attempt, 1 for the first
     * @param decoded the message already decoded (by an earlier delivery of it), or null
     */
    protected LazyDelivery(int attempt, CloudEventAttributes.Read decoded) {
        this.attempt = attempt;
        this.read = decoded;
    }

    /** Reads the message into an envelope, never failing (see {@link CloudEventAttributes}). */
    protected abstract CloudEventAttributes.Read decode();

    @Override
    public final EventEnvelope envelope() {
        return read().envelope();
    }

    @Override
    public final Optional<String> malformation() {
        return read().malformation();
    }

    @Override
    public int attempt() {
        return attempt;
    }

    /** The decoded message if something decoded it already, else null: nothing is decoded here. */
    protected final CloudEventAttributes.Read decodedOrNull() {
        return read;
    }

    private CloudEventAttributes.Read read() {
        CloudEventAttributes.Read current = read;
        if (current == null) {
            current = decode();
            read = current;
        }
        return current;
    }
}
