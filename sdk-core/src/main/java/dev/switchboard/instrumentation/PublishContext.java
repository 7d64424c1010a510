package dev.switchboard.instrumentation;

import dev.switchboard.EventEnvelope;

/**
 * One event being published, as {@link Instrumentation#publishStarted} sees it. Valid only during that call;
 * not thread-safe.
 *
 * @since 0.2
 */
public interface PublishContext {
    /** The provider's name, such as {@code kafka}: the messaging system. */
    String system();

    String topic();

    /** The event as it will be sent, before any extension set here. */
    EventEnvelope envelope();

    /**
     * Sets a CloudEvents extension on the event before it is encoded, such as {@code traceparent}; it travels
     * as every other attribute does on the broker in use.
     *
     * @throws IllegalArgumentException if {@code name} is no valid extension name (lower-case letters and digits)
     */
    void setExtension(String name, String value);
}
