package dev.switchboard.examples.checkout;

import static dev.switchboard.examples.checkout.CheckoutEvents.*;

import dev.switchboard.Messaging;
import dev.switchboard.RetryPolicy;
import dev.switchboard.Subscription;
import java.time.Duration;

/**
 * Payments: authorizes each placed order with the (flaky) gateway, and refunds orders that could not be
 * served. A gateway timeout is thrown, so the subscription retries it with backoff.
 */
final class PaymentsService implements CheckoutService {
    static final String GROUP = "payments";
    private final Messaging messaging;
    private final Topics topics;
    private final PaymentGateway gateway = new PaymentGateway();

    PaymentsService(Messaging messaging, Topics topics) {
        this.messaging = messaging;
        this.topics = topics;
    }

    @Override
    public void start() {
        messaging.subscribe(Subscription.to(topics.orders()).group(GROUP).concurrency(8)
                .retry(RetryPolicy.exponential(5, Duration.ofMillis(50)))
                .deduplicate(Duration.ofMinutes(10))
                .on(OrderPlaced.class, (order, ctx) -> {
                    String paymentId = gateway.authorize(order.orderId(), order.amountCents());
                    Object outcome = paymentId == null
                            ? new PaymentDeclined(order.orderId(), "amount over the card limit")
                            : new PaymentAuthorized(order.orderId(), paymentId, order.amountCents(), order.lines());
                    Events.follow(messaging, topics.payments(), order.orderId(), outcome, ctx);
                }));
        messaging.subscribe(Subscription.to(topics.inventory()).group(GROUP).concurrency(4).onlyHandledTypes()
                .deduplicate(Duration.ofMinutes(10))
                .on(OutOfStock.class, (out, ctx) -> Events.follow(messaging, topics.payments(), out.orderId(),
                        new RefundIssued(out.orderId(), out.paymentId(), out.amountCents()), ctx)));
    }

    int gatewayTimeouts() {
        return gateway.timeouts();
    }
}
