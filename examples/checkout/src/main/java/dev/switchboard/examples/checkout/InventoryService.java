package dev.switchboard.examples.checkout;

import static dev.switchboard.examples.checkout.CheckoutEvents.*;

import dev.switchboard.Messaging;
import dev.switchboard.Subscription;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Inventory: reserves stock for paid orders. Stock is plentiful except for {@code sku-13}, so some orders
 * run out and are refunded. A reservation is remembered per order, so a redelivered event reserves nothing
 * twice.
 */
final class InventoryService implements CheckoutService {
    static final String GROUP = "inventory";
    static final String SCARCE_SKU = "sku-13";
    private static final int SCARCE_STOCK = 20;

    private final Messaging messaging;
    private final Topics topics;
    private final Map<String, Integer> stock = new HashMap<>();
    private final Map<String, Boolean> reserved = new HashMap<>();

    InventoryService(Messaging messaging, Topics topics) {
        this.messaging = messaging;
        this.topics = topics;
    }

    @Override
    public void start() {
        messaging.subscribe(Subscription.to(topics.payments()).group(GROUP).concurrency(8).onlyHandledTypes()
                .deduplicate(Duration.ofMinutes(10))
                .on(PaymentAuthorized.class, (paid, ctx) -> {
                    String missing = reserve(paid);
                    Object outcome = missing == null
                            ? new StockReserved(paid.orderId(), paid.lines())
                            : new OutOfStock(paid.orderId(), paid.paymentId(), paid.amountCents(), missing);
                    Events.follow(messaging, topics.inventory(), paid.orderId(), outcome, ctx);
                }));
    }

    /** Reserves every line, or nothing; returns the SKU that is short, or null. */
    private synchronized String reserve(PaymentAuthorized paid) {
        Boolean earlier = reserved.get(paid.orderId());
        if (earlier != null) {
            return earlier ? null : shortSku(paid);
        }
        String missing = shortSku(paid);
        if (missing == null) {
            paid.lines().forEach(line -> stock.merge(line.sku(), -line.quantity(), Integer::sum));
        }
        reserved.put(paid.orderId(), missing == null);
        return missing;
    }

    private String shortSku(PaymentAuthorized paid) {
        for (Line line : paid.lines()) {
            int available = stock.computeIfAbsent(line.sku(), sku -> sku.equals(SCARCE_SKU) ? SCARCE_STOCK : 1_000_000);
            if (available < line.quantity()) {
                return line.sku();
            }
        }
        return null;
    }
}
