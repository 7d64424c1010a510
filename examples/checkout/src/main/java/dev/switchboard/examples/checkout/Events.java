package dev.switchboard.examples.checkout;

import dev.switchboard.EventContext;
import dev.switchboard.EventEnvelope;
import dev.switchboard.Messaging;
import dev.switchboard.PublishResult;
import dev.switchboard.jdbc.Outbox;
import java.sql.Connection;
import java.sql.SQLException;

/** Publishing within an order's flow: same correlation id and partition key, causation from the handled event. */
final class Events {
    private Events() {
    }

    /** Publishes {@code event} as a consequence of the event being handled, and waits for the broker. */
    static PublishResult follow(Messaging messaging, String topic, String orderId, Object event, EventContext cause) {
        return messaging.publisher().publishAndWait(topic, envelope(messaging, orderId, event, cause));
    }

    /**
     * Writes {@code event}, a consequence of the event being handled, to the outbox on {@code connection}: it is
     * published by the service's relay once the handler's transaction commits, and never if it rolls back.
     */
    static void follow(Outbox outbox, Connection connection, Messaging messaging, String topic, String orderId,
                       Object event, EventContext cause) throws SQLException {
        outbox.publish(connection, topic, envelope(messaging, orderId, event, cause));
    }

    private static EventEnvelope envelope(Messaging messaging, String orderId, Object event, EventContext cause) {
        return messaging.publisher().envelope(event)
                .partitionKey(orderId)
                .correlationId(cause.envelope().correlationId().orElse(orderId))
                .causationId(cause.envelope().id())
                .build();
    }
}
