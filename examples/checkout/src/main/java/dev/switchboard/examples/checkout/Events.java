package dev.switchboard.examples.checkout;

import dev.switchboard.EventContext;
import dev.switchboard.Messaging;
import dev.switchboard.PublishResult;

/** Publishing within an order's flow: same correlation id and partition key, causation from the handled event. */
final class Events {
    private Events() {
    }

    /** Publishes {@code event} as a consequence of the event being handled, and waits for the broker. */
    static PublishResult follow(Messaging messaging, String topic, String orderId, Object event, EventContext cause) {
        return messaging.publisher().publishAndWait(topic, messaging.publisher().envelope(event)
                .partitionKey(orderId)
                .correlationId(cause.envelope().correlationId().orElse(orderId))
                .causationId(cause.envelope().id())
                .build());
    }
}
