package dev.switchboard.instrumentation;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a delivery (or one handler call of it) ended.
 *
 * @param kind what happened
 * @param reason for a dead letter, its reason ({@code retries-exhausted}, {@code not-retryable}, {@code rejected},
 *     {@code malformed}, {@code undecodable}, {@code unknown-type}); else empty
 * @param failure the handler's or the decoder's failure, if any
 * @param retryDelay for a scheduled retry, the delay before it; else zero
 * @since 0.2
 */
public record Outcome(Kind kind, Optional<String> reason, Optional<Throwable> failure, Duration retryDelay) {
    private static final Outcome ACKED = new Outcome(Kind.ACKED, Optional.empty(), Optional.empty(), Duration.ZERO);
    private static final Outcome SKIPPED = new Outcome(Kind.SKIPPED, Optional.empty(), Optional.empty(), Duration.ZERO);
    private static final Outcome DUPLICATE = new Outcome(Kind.DUPLICATE, Optional.empty(), Optional.empty(), Duration.ZERO);
    private static final Outcome RETURNED = new Outcome(Kind.RETURNED, Optional.empty(), Optional.empty(), Duration.ZERO);

    public Outcome {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(failure, "failure");
        Objects.requireNonNull(retryDelay, "retryDelay");
    }

    /** What happened to a delivery. The lower-case name is the {@code outcome} tag of the metrics. */
    public enum Kind {
        /** Handled and acknowledged. */
        ACKED,
        /** The handler failed; another attempt follows after {@link #retryDelay()}. */
        RETRY_SCHEDULED,
        /** Written to the group's dead-letter destination, then acknowledged. */
        DEAD_LETTERED,
        /** A type no handler of the group takes, acknowledged unhandled. */
        SKIPPED,
        /** Deduplication found the event handled already; acknowledged unhandled. */
        DUPLICATE,
        /** Given back to the broker for redelivery (a drain, a failed dead-letter write). */
        RETURNED;

        /** Computed once: tracing reads it on every settled delivery. */
        private final String tag = name().toLowerCase(java.util.Locale.ROOT);

        /** The name as a metric tag: {@code retry_scheduled}. */
        public String tag() {
            return tag;
        }
    }

    public static Outcome acked() {
        return ACKED;
    }

    public static Outcome skipped() {
        return SKIPPED;
    }

    public static Outcome duplicate() {
        return DUPLICATE;
    }

    public static Outcome returned() {
        return RETURNED;
    }

    public static Outcome retryScheduled(Duration delay, Throwable failure) {
        return new Outcome(Kind.RETRY_SCHEDULED, Optional.empty(), Optional.ofNullable(failure), delay);
    }

    public static Outcome deadLettered(String reason, Throwable failure) {
        return new Outcome(Kind.DEAD_LETTERED, Optional.of(reason), Optional.ofNullable(failure), Duration.ZERO);
    }
}
