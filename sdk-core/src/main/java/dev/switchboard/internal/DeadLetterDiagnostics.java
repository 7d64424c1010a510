package dev.switchboard.internal;

import dev.switchboard.DeadLetter;
import dev.switchboard.EventEnvelope;
import dev.switchboard.internal.binding.CloudEventsBinding;
import dev.switchboard.Payload;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Writes and reads the diagnostic extensions of a dead letter. The original envelope stays unchanged apart
 * from these extensions, so that any CloudEvents tool reads a dead letter as the event it was.
 */
public final class DeadLetterDiagnostics {
    static final List<String> NAMES = List.of(DeadLetter.REASON, DeadLetter.ERROR_TYPE, DeadLetter.ERROR_MESSAGE,
            DeadLetter.TOPIC, DeadLetter.GROUP, DeadLetter.ATTEMPTS, DeadLetter.FIRST_FAILURE, DeadLetter.LAST_FAILURE,
            DeadLetter.POSITION, DeadLetter.ORIGINAL_SIZE);
    /** Room kept for the cut's own extension and the transport's framing when a payload is cut to fit. */
    private static final int CUT_MARGIN = 64;
    private static final int MAX_MESSAGE_LENGTH = 2000;

    private DeadLetterDiagnostics() {
    }

    /** The dead letter for {@code original}, which sat at {@code position} in its topic. */
    public static EventEnvelope attach(EventEnvelope original, String reason, Throwable error, String topic,
                                       String group, int attempts, OffsetDateTime firstFailure,
                                       OffsetDateTime lastFailure, String position) {
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
                .extension(DeadLetter.POSITION, position)
                .build();
    }

    /**
     * {@code deadLetter} with its payload cut so that the whole message is at most {@code maxBytes} by
     * {@link dev.switchboard.spi.OutboundMessage#estimatedSize()}, and the original payload's size recorded; the
     * envelope as it is if it fits. The diagnostics and attributes are kept whole: they say what the event was
     * and where the original is.
     */
    public static EventEnvelope fit(EventEnvelope deadLetter, long maxBytes) {
        long size = CloudEventsBinding.outbound(deadLetter).estimatedSize();
        return size <= maxBytes ? deadLetter : cut(deadLetter, size, maxBytes);
    }

    /** {@code deadLetter} with as much of its payload as fits in {@code maxBytes} ({@link #fit}), even if it would fit whole. */
    public static EventEnvelope cut(EventEnvelope deadLetter, long maxBytes) {
        return cut(deadLetter, CloudEventsBinding.outbound(deadLetter).estimatedSize(), maxBytes);
    }

    private static EventEnvelope cut(EventEnvelope deadLetter, long size, long maxBytes) {
        byte[] payload = deadLetter.payload().sharedArray();
        long attributes = size - payload.length;
        int keep = (int) Math.max(0, Math.min(payload.length, maxBytes - attributes - CUT_MARGIN));
        return deadLetter.toBuilder()
                .data(Payload.wrap(Arrays.copyOf(payload, keep)))
                .extension(DeadLetter.ORIGINAL_SIZE, deadLetter.extension(DeadLetter.ORIGINAL_SIZE)
                        .orElse(Long.toString(payload.length)))
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
                parseTime(deadLetter.extension(DeadLetter.LAST_FAILURE).orElse(null)),
                deadLetter.extension(DeadLetter.POSITION).orElse(""),
                deadLetter.extension(DeadLetter.ORIGINAL_SIZE).map(DeadLetterDiagnostics::parseLong).orElse(-1L));
    }

    private static long parseLong(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return -1;
        }
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
