package dev.switchboard.internal;

import dev.switchboard.ErrorCode;
import dev.switchboard.MessagingException;
import dev.switchboard.spi.BrokerDriver;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Turns any failure into a {@link MessagingException}, once for every broker: unwraps the wrappers of
 * {@code CompletableFuture}, passes a {@code MessagingException} through, and asks the driver about the native
 * rest. What the driver does not know is {@code UNKNOWN}, except an {@link IllegalArgumentException} — a caller's
 * bad input that a client library refused (a name too long for the broker) — which is {@code INVALID_ARGUMENT}
 * on every broker. A driver's own bug while classifying is {@code INTERNAL}, never a second failure. Thread-safe.
 */
public final class FailureClassifier {
    private final BrokerDriver driver;
    private final Duration publishTimeout;

    public FailureClassifier(BrokerDriver driver, Duration publishTimeout) {
        this.driver = driver;
        this.publishTimeout = publishTimeout;
    }

    public MessagingException classify(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof MessagingException m) {
            return m;
        }
        if (cause instanceof TimeoutException) {
            return new MessagingException(ErrorCode.DEADLINE_EXCEEDED, "no broker confirmation within "
                    + publishTimeout + " (switchboard.publish.timeout)", cause);
        }
        MessagingException classified;
        try {
            classified = driver.classify(cause);
        } catch (RuntimeException e) {
            return new MessagingException(ErrorCode.INTERNAL, "driver failed to classify " + cause, cause);
        }
        if (classified != null && classified.code() != ErrorCode.UNKNOWN) {
            return classified;
        }
        ErrorCode code = cause instanceof IllegalArgumentException ? ErrorCode.INVALID_ARGUMENT : ErrorCode.UNKNOWN;
        return new MessagingException(code, cause.getClass().getSimpleName() + ": " + cause.getMessage(), cause);
    }

    static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
