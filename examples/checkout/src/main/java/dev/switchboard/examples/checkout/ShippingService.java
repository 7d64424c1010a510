package dev.switchboard.examples.checkout;

import static dev.switchboard.examples.checkout.CheckoutEvents.*;

import dev.switchboard.Messaging;
import dev.switchboard.Subscription;
import java.time.Duration;
import java.util.UUID;

/** Shipping: ships every order whose stock is reserved. */
final class ShippingService implements CheckoutService {
    static final String GROUP = "shipping";
    private final Messaging messaging;
    private final Topics topics;

    ShippingService(Messaging messaging, Topics topics) {
        this.messaging = messaging;
        this.topics = topics;
    }

    @Override
    public void start() {
        messaging.subscribe(Subscription.to(topics.inventory()).group(GROUP).concurrency(8).onlyHandledTypes()
                .deduplicate(Duration.ofMinutes(10))
                .on(StockReserved.class, (reserved, ctx) -> Events.follow(messaging, topics.shipping(),
                        reserved.orderId(), new OrderShipped(reserved.orderId(), "track-" + UUID.randomUUID()), ctx)));
    }
}
