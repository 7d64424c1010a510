package dev.switchboard.jdbc.internal;

/**
 * One row of {@code switchboard_outbox}: an event waiting for the broker. The data array is not copied; rows live
 * only inside the relay. Immutable apart from that array.
 *
 * @param id the row's id: the order of the rows of one bucket
 * @param attributes the envelope's attributes and extensions as JSON ({@link EnvelopeJson})
 */
public record OutboxRow(long id, int bucket, String topic, String eventId, String partitionKey, String attributes,
                        byte[] data) {

    /** The number of buckets the outbox's rows are spread over. */
    public static final int BUCKETS = 64;

    /** The bucket of an event: its partition key's hash (its id's when it has no key) modulo {@link #BUCKETS}. */
    public static int bucketOf(String partitionKey, String eventId) {
        return Math.floorMod((partitionKey != null ? partitionKey : eventId).hashCode(), BUCKETS);
    }

    /** What orders this row among others: its partition key, or its event id when it has none. */
    public String orderingKey() {
        return partitionKey != null ? partitionKey : eventId;
    }

    /** The row for logs: where it goes and which event, never its payload. */
    @Override
    public String toString() {
        return "outbox row " + id + " (event " + eventId + " to " + topic
                + (partitionKey != null ? ", key " + partitionKey : "") + ", " + data.length + " bytes)";
    }
}
