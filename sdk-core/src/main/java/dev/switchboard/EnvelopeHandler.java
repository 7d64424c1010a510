package dev.switchboard;

/**
 * Handles a raw {@link EventEnvelope}, for subscriptions that work below the typed layer (bridges, routers,
 * auditing). Same outcome rules as {@link EventHandler}.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface EnvelopeHandler {
    void handle(EventEnvelope envelope, EventContext context) throws Exception;
}
