package dev.switchboard;

/**
 * What a handler knows about the delivery it is handling. Valid only during the handler call.
 *
 * @since 0.1
 */
public interface EventContext {
    /** The envelope as received, attributes and payload bytes included. */
    EventEnvelope envelope();

    String topic();

    String group();

    /** This delivery attempt, 1 for the first. */
    int attempt();

    /** The last attempt the retry policy allows; after it fails the event is dead-lettered. */
    int maxAttempts();
}
