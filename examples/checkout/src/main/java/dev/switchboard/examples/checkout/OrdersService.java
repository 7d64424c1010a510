package dev.switchboard.examples.checkout;

import static dev.switchboard.examples.checkout.CheckoutEvents.*;

import dev.switchboard.Messaging;
import dev.switchboard.Subscription;
import java.time.Duration;

/** Orders: cancels orders whose payment was declined or refunded. */
final class OrdersService implements CheckoutService {
    static final String GROUP = "orders";
    private final Messaging messaging;
    private final Topics topics;

    OrdersService(Messaging messaging, Topics topics) {
        this.messaging = messaging;
        this.topics = topics;
    }

    @Override
    public void start() {
        messaging.subscribe(Subscription.to(topics.payments()).group(GROUP).concurrency(4).onlyHandledTypes()
                .deduplicate(Duration.ofMinutes(10))
                .on(PaymentDeclined.class, (declined, ctx) -> Events.follow(messaging, topics.orders(),
                        declined.orderId(), new OrderCancelled(declined.orderId(), "payment declined: " + declined.reason()), ctx))
                .on(RefundIssued.class, (refund, ctx) -> Events.follow(messaging, topics.orders(),
                        refund.orderId(), new OrderCancelled(refund.orderId(), "out of stock, refunded " + refund.paymentId()), ctx)));
    }
}
