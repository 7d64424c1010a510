package dev.switchboard.internal;

import dev.switchboard.DeadLetter;
import dev.switchboard.EventEnvelope;
import dev.switchboard.internal.binding.CloudEventsBinding;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Writes and reads the diagnostic extensions of a dead letter. The original envelope stays unchanged apart
 * from these extensions, so that any CloudEvents tool reads a dead letter as the event it was.
 */
public final class DeadLetterDiagnostics {
    static final List<String> NAMES = List.of(DeadLetter.REASON, DeadLetter.ERROR_TYPE, DeadLetter.ERROR_MESSAGE,
            DeadLetter.TOPIC, DeadLetter.GROUP, DeadLetter.ATTEMPTS, DeadLetter.FIRST_FAILURE, DeadLetter.LAST_FAILURE);
    private static final int MAX_MESSAGE_LENGTH = 2000;

    private DeadLetterDiagnostics() {
    }

    /** The dead letter for {@code original}. */
    public static EventEnvelope attach(EventEnvelope original, String reason, Throwable error, String topic,
                                       String group, int attempts, OffsetDateTime firstFailure,
                                       OffsetDateTime lastFailure) {
        String message = error == null || error.getMessage() == null ? "" : error.getMessage();
        if (message.length() > MAX_MESSAGE_LENGTH) {
            message = message.substring(0, MAX_MESSAGE_LENGTH) + "…";
        }
        return original.toBuilder()
                .extension(DeadLetter.REASON, reason)
                .extension(DeadLetter.ERROR_TYPE, error == null ? "" : error.getClass().getName())
                .extension(DeadLetter.ERROR_MESSAGE, message)
                .extension(DeadLetter.TOPIC, topic)
                .extension(DeadLetter.GROUP, group)
                .extension(DeadLetter.ATTEMPTS, Integer.toString(attempts))
                .extension(DeadLetter.FIRST_FAILURE, CloudEventsBinding.formatTime(firstFailure))
                .extension(DeadLetter.LAST_FAILURE, CloudEventsBinding.formatTime(lastFailure))
                .build();
    }

    /** Reads a dead letter back: the original envelope and its diagnostics. */
    public static DeadLetter read(EventEnvelope deadLetter, String fallbackTopic, String fallbackGroup) {
        EventEnvelope.Builder original = deadLetter.toBuilder();
        NAMES.forEach(name -> original.extension(name, null));
        return new DeadLetter(original.build(),
                deadLetter.extension(DeadLetter.REASON).orElse("unknown"),
                deadLetter.extension(DeadLetter.ERROR_TYPE).orElse(""),
                deadLetter.extension(DeadLetter.ERROR_MESSAGE).orElse(""),
                deadLetter.extension(DeadLetter.TOPIC).orElse(fallbackTopic),
                deadLetter.extension(DeadLetter.GROUP).orElse(fallbackGroup),
                parseInt(deadLetter.extension(DeadLetter.ATTEMPTS).orElse("0")),
                parseTime(deadLetter.extension(DeadLetter.FIRST_FAILURE).orElse(null)),
                parseTime(deadLetter.extension(DeadLetter.LAST_FAILURE).orElse(null)));
    }

    private static int parseInt(String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static OffsetDateTime parseTime(String value) {
        try {
            return value == null ? null : CloudEventsBinding.parseTime(value);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
