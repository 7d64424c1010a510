package dev.switchboard;

import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.Optional;

/**
 * An event that could not be handled, with why. Read with {@link DeadLetters#list}.
 *
 * <p>On the wire a dead letter is the original envelope, unchanged, plus the diagnostic extensions named
 * by the constants here, so any tool that reads CloudEvents can read it.
 *
 * @param envelope the original envelope, diagnostics removed
 * @param reason why: {@code retries-exhausted}, {@code rejected}, {@code undecodable}, {@code malformed},
 *     {@code unknown-type}, {@code not-retryable}
 * @param errorType the class of the last failure, or empty
 * @param errorMessage the message of the last failure, or empty
 * @param topic the topic it came from
 * @param group the group that gave up on it
 * @param attempts how many times it was handled
 * @param firstFailure when it first failed
 * @param lastFailure when it last failed
 * @param position where the original sat in its topic, as the broker names it (Kafka {@code partition@offset}, a
 *     broker's message id), or empty where unknown
 * @param originalSize the original payload's size in bytes if the payload was cut to fit the dead-letter
 *     destination (see {@link #isCut()}), else -1
 * @since 0.1
 */
public record DeadLetter(EventEnvelope envelope, String reason, String errorType, String errorMessage, String topic,
                         String group, int attempts, OffsetDateTime firstFailure, OffsetDateTime lastFailure,
                         String position, long originalSize) {
    public static final String REASON = "dlreason";
    public static final String ERROR_TYPE = "dlerrortype";
    public static final String ERROR_MESSAGE = "dlerrormessage";
    public static final String TOPIC = "dltopic";
    public static final String GROUP = "dlgroup";
    public static final String ATTEMPTS = "dlattempts";
    public static final String FIRST_FAILURE = "dlfirstfailure";
    public static final String LAST_FAILURE = "dllastfailure";
    /** @since 0.2 */
    public static final String POSITION = "dlposition";
    /** Set only on a dead letter whose payload was cut: the original payload's size in bytes. @since 0.2 */
    public static final String ORIGINAL_SIZE = "dloriginalsize";

    public DeadLetter {
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(reason, "reason");
    }

    /**
     * Whether the payload was cut to fit the dead-letter destination's size limit: then {@link #envelope()} holds
     * only the payload's first bytes (an undecodable 5 MiB record, say), {@link #originalSize()} its size, and
     * {@link #position()} where the whole original still is. A cut dead letter is not replayed.
     *
     * @since 0.2
     */
    public boolean isCut() {
        return originalSize >= 0;
    }

    /** The last failure's type and message together, for logs. */
    public Optional<String> error() {
        return errorType.isEmpty() ? Optional.empty() : Optional.of(errorType + ": " + errorMessage);
    }
}
