package dev.switchboard;

import java.util.Objects;

/**
 * The one unchecked exception of Switchboard: a classified failure of a messaging operation.
 *
 * <p>The native broker error, if any, stays available as the {@linkplain #getCause() cause}.
 * {@link #isRetryable()} says whether trying the same operation again may succeed; it defaults to the
 * code's own retryability but a driver may override it for a specific native error.
 *
 * @since 0.1
 */
public class MessagingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final boolean retryable;

    public MessagingException(ErrorCode code, String message) {
        this(code, message, null, Objects.requireNonNull(code, "code").isRetryable());
    }

    public MessagingException(ErrorCode code, String message, Throwable cause) {
        this(code, message, cause, Objects.requireNonNull(code, "code").isRetryable());
    }

    public MessagingException(ErrorCode code, String message, Throwable cause, boolean retryable) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
        this.retryable = retryable;
    }

    /** The broker-independent classification of this failure. */
    public ErrorCode code() {
        return code;
    }

    /** Whether retrying the same operation unchanged may succeed. */
    public boolean isRetryable() {
        return retryable;
    }

    @Override
    public String toString() {
        return getClass().getName() + "[" + code + (retryable ? ", retryable" : "") + "]: " + getMessage();
    }
}
