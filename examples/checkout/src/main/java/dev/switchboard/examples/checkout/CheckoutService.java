package dev.switchboard.examples.checkout;

import java.sql.SQLException;
import java.util.List;

/** One service of the flow: it subscribes its handlers, in its own group, when started. */
interface CheckoutService extends AutoCloseable {
    /** The service names, as given to {@code --service}. */
    List<String> NAMES = List.of("orders", "payments", "inventory", "shipping");

    /** Subscribes its handlers (and starts what they need, such as an outbox relay). */
    void start() throws SQLException;

    /** Stops what it runs besides its subscriptions (its outbox relay); its {@code Messaging} is closed after this. */
    @Override
    default void close() {
    }
}
