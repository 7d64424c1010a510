package dev.switchboard;

/**
 * What Switchboard does about topics, subscriptions and dead-letter destinations that do not exist yet.
 * Set with {@code switchboard.provisioning}.
 *
 * @since 0.1
 */
public enum Provisioning {
    /** Create what is missing (the default; convenient in development and tests). */
    CREATE,
    /** Create nothing; fail with {@link ErrorCode#NOT_FOUND} when something is missing. */
    VALIDATE,
    /** Neither create nor check; the first publish or receive finds out. */
    NONE
}
