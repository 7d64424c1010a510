package dev.switchboard.inmemory;

/**
 * What an {@link InMemoryBroker} records for {@link RecordedEvents}: every event (the default, what tests
 * assert on), only the newest ones, or nothing. Fixed when the broker is created; set it with
 * {@link InMemoryBroker#create(Journal)}, {@link InMemoryBroker#named(String, Journal)} or the key
 * {@code switchboard.in-memory.journal} ({@code on}, {@code off} or a number of events).
 *
 * <pre>{@code
 * InMemoryBroker loadTest = InMemoryBroker.create(Journal.off());        // nothing recorded: no memory, no cost
 * InMemoryBroker soakTest = InMemoryBroker.create(Journal.last(10_000)); // the newest 10 000 of each kind
 * }</pre>
 *
 * <p>A journal keeps the published, the consumed and the dead-lettered events apart; a bounded journal keeps
 * the newest {@code capacity} of each and forgets older ones, so an await for a forgotten event times out.
 * With the journal off, reading {@code published()}, {@code consumed()} or {@code deadLettered()} fails at once
 * rather than waiting for what will never be recorded. Immutable.
 *
 * @since 0.1
 */
public final class Journal {
    private static final Journal ALL = new Journal(Integer.MAX_VALUE);
    private static final Journal OFF = new Journal(0);

    private final int capacity;

    private Journal(int capacity) {
        this.capacity = capacity;
    }

    /** Every event, without bound: the default. */
    public static Journal all() {
        return ALL;
    }

    /** Nothing: for load tests and benchmarks, where a journal would hold every event in memory. */
    public static Journal off() {
        return OFF;
    }

    /** The newest {@code capacity} events of each kind (published, consumed, dead-lettered). */
    public static Journal last(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("a journal keeps at least 1 event, not " + capacity + "; use Journal.off()");
        }
        return capacity == Integer.MAX_VALUE ? ALL : new Journal(capacity);
    }

    /**
     * The journal a value of {@code switchboard.in-memory.journal} names: {@code on} (every event), {@code off},
     * or a positive number (the newest that many of each kind).
     *
     * @throws IllegalArgumentException for anything else
     */
    public static Journal parse(String value) {
        String v = value.trim();
        if (v.equalsIgnoreCase("on")) {
            return ALL;
        }
        if (v.equalsIgnoreCase("off")) {
            return OFF;
        }
        try {
            return last(Integer.parseInt(v));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("switchboard.in-memory.journal is \"" + value
                    + "\"; expected on, off or a positive number of events", e);
        }
    }

    /** How many events of each kind it keeps: 0 when off, {@link Integer#MAX_VALUE} for all. */
    public int capacity() {
        return capacity;
    }

    public boolean isOff() {
        return capacity == 0;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Journal j && j.capacity == capacity;
    }

    @Override
    public int hashCode() {
        return capacity;
    }

    /** The value of {@code switchboard.in-memory.journal} that selects it: {@code on}, {@code off} or the number. */
    @Override
    public String toString() {
        return this == ALL ? "on" : capacity == 0 ? "off" : Integer.toString(capacity);
    }
}
