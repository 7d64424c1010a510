package dev.switchboard.examples.checkout;

import static dev.switchboard.examples.checkout.CheckoutEvents.*;

import dev.switchboard.EventContext;
import dev.switchboard.Messaging;
import dev.switchboard.RetryPolicy;
import dev.switchboard.Subscription;
import dev.switchboard.jdbc.Inbox;
import dev.switchboard.jdbc.Outbox;
import dev.switchboard.jdbc.OutboxRelay;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;

/**
 * Payments: authorizes each placed order with the (flaky) gateway, and refunds orders that could not be served.
 * Each event is handled in an inbox transaction on the service's own database: the {@code payments} row and the
 * outcome event (written to the outbox, published by this service's {@link OutboxRelay}) commit together, so a
 * redelivered {@code OrderPlaced} never charges twice. A gateway timeout is thrown: the transaction rolls back and
 * the subscription retries it with backoff.
 */
final class PaymentsService implements CheckoutService {
    static final String GROUP = "payments";
    static final String TABLE = "CREATE TABLE IF NOT EXISTS payments (payment_id VARCHAR(64) PRIMARY KEY,"
            + " order_id VARCHAR(64) NOT NULL, amount_cents BIGINT NOT NULL, status VARCHAR(16) NOT NULL)";

    private final Messaging messaging;
    private final Topics topics;
    private final ServiceDatabase database;
    private final Outbox outbox;
    private final Inbox inbox;
    private final PaymentGateway gateway = new PaymentGateway();
    private OutboxRelay relay;

    PaymentsService(Messaging messaging, Topics topics, ServiceDatabase database) {
        this.messaging = messaging;
        this.topics = topics;
        this.database = database;
        this.outbox = Outbox.of(messaging);
        this.inbox = Inbox.of(database);
    }

    @Override
    public void start() throws SQLException {
        relay = OutboxRelay.builder(messaging, database).start();
        messaging.subscribe(Subscription.to(topics.orders()).group(GROUP).concurrency(8)
                .retry(RetryPolicy.exponential(5, Duration.ofMillis(50)))
                .on(OrderPlaced.class, inbox.transactional(this::authorize)));
        messaging.subscribe(Subscription.to(topics.inventory()).group(GROUP).concurrency(4).onlyHandledTypes()
                .on(OutOfStock.class, inbox.transactional(this::refund)));
    }

    private void authorize(OrderPlaced order, EventContext ctx, Connection connection) throws SQLException {
        PaymentGateway.Authorization authorization = gateway.authorize(order.orderId(), order.amountCents());
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO payments (payment_id, order_id, amount_cents, status) VALUES (?, ?, ?, ?)")) {
            insert.setString(1, authorization.paymentId());
            insert.setString(2, order.orderId());
            insert.setLong(3, order.amountCents());
            insert.setString(4, authorization.approved() ? "AUTHORIZED" : "DECLINED");
            insert.executeUpdate();
        }
        Object outcome = authorization.approved()
                ? new PaymentAuthorized(order.orderId(), authorization.paymentId(), order.amountCents(), order.lines())
                : new PaymentDeclined(order.orderId(), "amount over the card limit");
        Events.follow(outbox, connection, messaging, topics.payments(), order.orderId(), outcome, ctx);
    }

    private void refund(OutOfStock out, EventContext ctx, Connection connection) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE payments SET status = 'REFUNDED' WHERE payment_id = ?")) {
            update.setString(1, out.paymentId());
            update.executeUpdate();
        }
        Events.follow(outbox, connection, messaging, topics.payments(), out.orderId(),
                new RefundIssued(out.orderId(), out.paymentId(), out.amountCents()), ctx);
    }

    int gatewayTimeouts() {
        return gateway.timeouts();
    }

    /** Stops the relay: rows it has not published stay in the outbox for the next process. */
    @Override
    public void close() {
        if (relay != null) {
            relay.close();
        }
    }
}
