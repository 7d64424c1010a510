package dev.switchboard;

/**
 * Thrown by a handler to send the event to the dead letter now, without further attempts: the event can
 * never be processed (a business rule says so, or it is malformed in a way the codec could not see).
 *
 * @since 0.1
 */
public class RejectException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RejectException(String reason) {
        super(reason);
    }

    public RejectException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
