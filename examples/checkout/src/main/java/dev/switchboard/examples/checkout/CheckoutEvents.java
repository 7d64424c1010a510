package dev.switchboard.examples.checkout;

import dev.switchboard.EventType;
import java.util.List;

/** The events of the checkout flow, and the one command: {@link PlaceOrder}, which the orders service handles. */
public final class CheckoutEvents {
    private CheckoutEvents() {
    }

    /** One line of an order. */
    public record Line(String sku, int quantity) {
    }

    /** A customer asks for an order; the orders service records it and announces {@link OrderPlaced}. */
    @EventType("shop.order.requested")
    public record PlaceOrder(String orderId, String customerId, List<Line> lines, long amountCents) {
    }

    @EventType("shop.order.placed")
    public record OrderPlaced(String orderId, String customerId, List<Line> lines, long amountCents) {
    }

    @EventType("shop.payment.authorized")
    public record PaymentAuthorized(String orderId, String paymentId, long amountCents, List<Line> lines) {
    }

    @EventType("shop.payment.declined")
    public record PaymentDeclined(String orderId, String reason) {
    }

    @EventType("shop.stock.reserved")
    public record StockReserved(String orderId, List<Line> lines) {
    }

    @EventType("shop.stock.out")
    public record OutOfStock(String orderId, String paymentId, long amountCents, String sku) {
    }

    @EventType("shop.payment.refunded")
    public record RefundIssued(String orderId, String paymentId, long amountCents) {
    }

    @EventType("shop.order.cancelled")
    public record OrderCancelled(String orderId, String reason) {
    }

    @EventType("shop.order.shipped")
    public record OrderShipped(String orderId, String trackingId) {
    }
}
