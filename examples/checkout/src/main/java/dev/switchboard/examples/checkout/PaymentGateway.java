package dev.switchboard.examples.checkout;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for a payment provider: it declines large amounts, and it times out — transiently — on the
 * first two attempts for one order in seven, so that the subscription's retries show.
 */
final class PaymentGateway {
    static final long LIMIT_CENTS = 50_000;

    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final AtomicInteger timeouts = new AtomicInteger();

    /** A payment id, or null when declined. */
    String authorize(String orderId, long amountCents) {
        int attempt = attempts.computeIfAbsent(orderId, id -> new AtomicInteger()).incrementAndGet();
        if (Math.floorMod(orderId.hashCode(), 7) == 0 && attempt <= 2) {
            timeouts.incrementAndGet();
            throw new GatewayTimeoutException("payment gateway timed out for " + orderId + " (attempt " + attempt + ")");
        }
        return amountCents > LIMIT_CENTS ? null : "pay-" + UUID.randomUUID();
    }

    int timeouts() {
        return timeouts.get();
    }

    /** A transient failure: retrying later helps. */
    static final class GatewayTimeoutException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        GatewayTimeoutException(String message) {
            super(message);
        }
    }
}
