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

    /** The outcome of an authorization: approved or declined, with the provider's id either way. */
    record Authorization(String paymentId, boolean approved) {
    }

    /** Authorizes the amount, or declines it; throws {@link GatewayTimeoutException} when it times out. */
    Authorization authorize(String orderId, long amountCents) {
        int attempt = attempts.computeIfAbsent(orderId, id -> new AtomicInteger()).incrementAndGet();
        if (Math.floorMod(orderId.hashCode(), 7) == 0 && attempt <= 2) {
            timeouts.incrementAndGet();
            throw new GatewayTimeoutException("payment gateway timed out for " + orderId + " (attempt " + attempt + ")");
        }
        return new Authorization("pay-" + UUID.randomUUID(), amountCents <= LIMIT_CENTS);
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
