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
 * @since 0.1
 */
public record DeadLetter(EventEnvelope envelope, String reason, String errorType, String errorMessage, String topic,
                         String group, int attempts, OffsetDateTime firstFailure, OffsetDateTime lastFailure) {
    public static final String REASON = "dlreason";
    public static final String ERROR_TYPE = "dlerrortype";
    public static final String ERROR_MESSAGE = "dlerrormessage";
    public static final String TOPIC = "dltopic";
    public static final String GROUP = "dlgroup";
    public static final String ATTEMPTS = "dlattempts";
    public static final String FIRST_FAILURE = "dlfirstfailure";
    public static final String LAST_FAILURE = "dllastfailure";

    public DeadLetter {
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(reason, "reason");
    }

    /** The last failure's type and message together, for logs. */
    public Optional<String> error() {
        return errorType.isEmpty() ? Optional.empty() : Optional.of(errorType + ": " + errorMessage);
    }
}
