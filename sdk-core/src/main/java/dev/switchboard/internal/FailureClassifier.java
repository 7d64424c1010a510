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
 * rest. A driver's own bug while classifying is {@code INTERNAL}, never a second failure. Thread-safe.
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
        try {
            MessagingException classified = driver.classify(cause);
            return classified != null ? classified
                    : new MessagingException(ErrorCode.UNKNOWN, cause.getClass().getSimpleName() + ": " + cause.getMessage(), cause);
        } catch (RuntimeException e) {
            return new MessagingException(ErrorCode.INTERNAL, "driver failed to classify " + cause, cause);
        }
    }

    static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
