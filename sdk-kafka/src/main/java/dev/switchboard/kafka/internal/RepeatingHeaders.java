package dev.switchboard.kafka.internal;

/**
 * The headers whose value a producer writes the same on record after record — {@code ce_specversion},
 * {@code ce_source}, {@code ce_type} and {@code content-type} — each with a slot, so that {@link HeaderBytes} (publish)
 * and {@link HeaderText} (consume) remember the last value per name and convert it once.
 */
final class RepeatingHeaders {
    private static final String[] NAMES = {
        KafkaDriver.PREFIX + "specversion", KafkaDriver.PREFIX + "source", KafkaDriver.PREFIX + "type",
        KafkaDriver.CONTENT_TYPE};

    /** How many slots there are. */
    static final int SLOTS = NAMES.length;

    private RepeatingHeaders() {
    }

    /** The slot of a repeating header name as producers write it (exact case), or -1. */
    static int slotOf(String name) {
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
