package dev.switchboard.testkit.tck;

import dev.switchboard.EventEnvelope;
import dev.switchboard.EventType;

/**
 * The payloads the conformance suite publishes. Public records so that the default Jackson codec can encode
 * and decode them on every provider; their {@link EventType} names all start with {@code tck.}.
 *
 * @since 0.1
 */
public final class TckEvents {
    /** The type of the raw text events built by {@link #note(String)}. */
    public static final String NOTE_TYPE = "tck.note";

    private TckEvents() {
    }

    /** A raw text event whose id and payload are both {@code id}; for tests that only count ids. */
    public static EventEnvelope note(String id) {
        return EventEnvelope.builder().id(id).type(NOTE_TYPE).data(id).build();
    }

    /** A raw text event with a partition key. */
    public static EventEnvelope keyedNote(String id, String partitionKey) {
        return EventEnvelope.builder().id(id).type(NOTE_TYPE).partitionKey(partitionKey).data(id).build();
    }

    /**
     * A typed payload.
     *
     * @param orderId the order
     * @param amountCents the amount
     */
    @EventType("tck.order.placed")
    public record OrderPlaced(String orderId, long amountCents) {
    }

    /**
     * A second typed payload, published on the same topic as {@link OrderPlaced} to test dispatch by type.
     *
     * @param orderId the order
     * @param carrier the carrier
     */
    @EventType("tck.order.shipped")
    public record OrderShipped(String orderId, String carrier) {
    }

    /**
     * A payload of the ordering tests: its partition key and its position in that key's sequence.
     *
     * @param key the partition key
     * @param sequence 0 for the first event of the key
     */
    @EventType("tck.keyed")
    public record Keyed(String key, int sequence) {
    }

    /**
     * A payload no handler of the suite takes, to test the unknown-type policy.
     *
     * @param note anything
     */
    @EventType("tck.unhandled")
    public record Unhandled(String note) {
    }

    /** A payload the JSON codec cannot encode: its only property throws. */
    @EventType("tck.unencodable")
    public static final class Unencodable {
        /** Always throws, so that encoding fails. */
        public String getValue() {
            throw new IllegalStateException("TCK: this payload cannot be encoded");
        }
    }
}
