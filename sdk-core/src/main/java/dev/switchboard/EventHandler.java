package dev.switchboard;

/**
 * Handles one decoded event. Returning normally acknowledges the delivery; throwing asks for a retry under
 * the subscription's {@link RetryPolicy}; {@link RetryAfterException} and {@link RejectException} ask for a
 * specific outcome. Called from dispatcher threads, possibly concurrently for different keys.
 *
 * @param <T> the payload type
 * @since 0.1
 */
@FunctionalInterface
public interface EventHandler<T> {
    void handle(T event, EventContext context) throws Exception;
}
