package dev.switchboard;

/**
 * Broker-independent classification of a messaging failure, modelled on the gRPC status codes.
 *
 * <p>Every {@link MessagingException} carries one code; drivers map their native errors onto it so
 * that service code can react the same way on every broker.
 *
 * @since 0.1
 */
public enum ErrorCode {
    /** A topic, subscription or dead-letter destination does not exist (and provisioning may not create it). */
    NOT_FOUND(false),
    /** The caller passed something unusable: an invalid envelope, an unserializable payload, an oversize message. */
    INVALID_ARGUMENT(false),
    /** The broker refused the credentials or the operation. */
    PERMISSION_DENIED(false),
    /** The broker cannot be reached right now; trying again later may succeed. */
    UNAVAILABLE(true),
    /** The operation did not finish within its deadline. */
    DEADLINE_EXCEEDED(true),
    /** A quota, a buffer or a size limit of the broker is exhausted. */
    RESOURCE_EXHAUSTED(true),
    /** The operation was cancelled, usually because the client is closing. */
    CANCELLED(false),
    /** The system is not in a state that allows the operation (for example, use after close). */
    FAILED_PRECONDITION(false),
    /** The operation is not supported by this broker. */
    UNIMPLEMENTED(false),
    /** A bug or an unexpected state, in Switchboard or in the broker client. */
    INTERNAL(false),
    /** A failure that could not be classified. */
    UNKNOWN(false);

    private final boolean retryable;

    ErrorCode(boolean retryable) {
        this.retryable = retryable;
    }

    /** Whether an error with this code is, by default, worth retrying unchanged. */
    public boolean isRetryable() {
        return retryable;
    }
}
