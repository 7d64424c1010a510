package dev.switchboard;

/**
 * What a subscription does with an event whose type none of its handlers takes. Topics often carry many
 * event types, so the default is to acknowledge and skip.
 *
 * @since 0.1
 */
public enum UnknownTypePolicy {
    /** Acknowledge and skip; counted and logged at debug level. */
    SKIP,
    /** Send to the dead letter with reason {@code unknown-type}. */
    DEAD_LETTER
}
