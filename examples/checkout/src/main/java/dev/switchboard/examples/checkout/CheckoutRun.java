package dev.switchboard.examples.checkout;

import static dev.switchboard.examples.checkout.CheckoutEvents.*;

import dev.switchboard.BatchPublishResult;
import dev.switchboard.DeadLetter;
import dev.switchboard.EventEnvelope;
import dev.switchboard.Messaging;
import dev.switchboard.Subscription;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Places orders — sends a {@link PlaceOrder} command for each to the orders service, one of them deliberately
 * malformed — then watches every order reach a final state: shipped, cancelled, or (the malformed one)
 * dead-lettered by the orders service. Prints progress and one summary line.
 */
final class CheckoutRun {
    static final String REPORT_GROUP = "report";
    private static final int BATCH = 100;
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(1);

    private final Messaging messaging;
    private final Topics topics;
    private final PrintStream out;
    private final String runId = UUID.randomUUID().toString().substring(0, 8);
    private final Set<String> shipped = ConcurrentHashMap.newKeySet();
    private final Set<String> cancelled = ConcurrentHashMap.newKeySet();
    /** The shipped orders in the order their {@code OrderShipped} arrived here. */
    private final Queue<String> shippedInOrder = new ConcurrentLinkedQueue<>();

    CheckoutRun(Messaging messaging, Topics topics, PrintStream out) {
        this.messaging = messaging;
        this.topics = topics;
        this.out = out;
    }

    /** The result of a run. */
    record Summary(int placed, int shipped, int cancelled, int deadLettered) {
        int lost() {
            return placed - shipped - cancelled - deadLettered;
        }

        String line() {
            return "checkout: placed=" + placed + " shipped=" + shipped + " cancelled=" + cancelled
                    + " dead-lettered=" + deadLettered + " lost=" + lost();
        }
    }

    /** Creates every group of the flow, so that no event waits for a service that has not started yet. */
    static void provision(Messaging messaging, Topics topics) {
        groups(topics).forEach((topic, groups) -> groups.forEach(group -> messaging.provision(topic, group)));
    }

    /** The groups of the flow, by topic. */
    static Map<String, List<String>> groups(Topics topics) {
        return Map.of(
                topics.requests(), List.of(OrdersService.GROUP),
                topics.orders(), List.of(PaymentsService.GROUP, REPORT_GROUP),
                topics.payments(), List.of(InventoryService.GROUP, OrdersService.GROUP),
                topics.inventory(), List.of(ShippingService.GROUP, PaymentsService.GROUP),
                topics.shipping(), List.of(REPORT_GROUP));
    }

    Summary run(int orders, Duration timeout) throws InterruptedException {
        messaging.subscribe(Subscription.to(topics.orders()).group(REPORT_GROUP).concurrency(4).onlyHandledTypes()
                .on(OrderCancelled.class, (c, ctx) -> record(cancelled, c.orderId())));
        messaging.subscribe(Subscription.to(topics.shipping()).group(REPORT_GROUP).concurrency(4).onlyHandledTypes()
                .on(OrderShipped.class, (s, ctx) -> {
                    if (record(shipped, s.orderId())) {
                        shippedInOrder.add(s.orderId());
                    }
                }));
        int malformedAt = orders / 2;
        out.printf("placing %d orders (run %s, topics %s.*, one malformed at #%d)%n", orders, runId, topics.namespace(), malformedAt);
        place(orders, malformedAt);
        List<DeadLetter> deadLetters = awaitFinalStates(orders, timeout);
        deadLetters.forEach(dl -> out.printf("dead letter: %s (order %s) in %s, reason %s: %s%n", dl.envelope().id(),
                dl.envelope().correlationId().orElse("?"), topics.requests() + "." + OrdersService.GROUP + ".dlq",
                dl.reason(), dl.errorMessage().lines().findFirst().orElse("")));
        return new Summary(orders, shipped.size(), cancelled.size(), deadLetters.size());
    }

    /** Adds an order of this run to {@code outcome}; true if it was not there yet. */
    private boolean record(Set<String> outcome, String orderId) {
        return orderId.startsWith(runId + "-") && outcome.add(orderId);
    }

    /** The orders shipped so far, in the order this run learned of them. */
    List<String> shippedOrders() {
        return List.copyOf(shippedInOrder);
    }

    private void place(int orders, int malformedAt) {
        List<Object> batch = new ArrayList<>(BATCH);
        for (int i = 0; i < orders; i++) {
            batch.add(i == malformedAt ? malformedOrder(i) : order(i));
            if (batch.size() == BATCH || i == orders - 1) {
                BatchPublishResult result = messaging.publisher().publishAll(topics.requests(), batch).toCompletableFuture().join();
                if (!result.allSucceeded()) {
                    throw new IllegalStateException("orders were not placed: " + result.failures());
                }
                batch.clear();
            }
        }
    }

    private EventEnvelope order(int index) {
        String orderId = orderId(index);
        long amount = index % 17 == 5 ? PaymentGateway.LIMIT_CENTS + 10_000 : 1_000 + index % 50 * 100;
        List<Line> lines = List.of(new Line("sku-" + (index % 20 + 1), 1 + index % 3));
        return messaging.publisher().envelope(new PlaceOrder(orderId, "customer-" + index % 97, lines, amount))
                .partitionKey(orderId).correlationId(orderId).build();
    }

    /** An order command whose payload is cut short: no codec can read it, so it must end in the dead letter. */
    private EventEnvelope malformedOrder(int index) {
        String orderId = orderId(index);
        return EventEnvelope.builder().type("shop.order.requested").dataContentType("application/json")
                .data("{\"orderId\":\"" + orderId + "\",\"lines\":[{\"sku\":").partitionKey(orderId).correlationId(orderId)
                .build();
    }

    /** The id of this run's order number {@code index} (0 for the first): {@code <run id>-<index>}. */
    String orderId(int index) {
        return runId + "-" + index;
    }

    private List<DeadLetter> awaitFinalStates(int orders, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long nextProgress = 0;
        List<DeadLetter> deadLetters = List.of();
        while (true) {
            deadLetters = ourDeadLetters();
            int done = shipped.size() + cancelled.size() + deadLetters.size();
            if (System.nanoTime() - nextProgress >= 0 || done >= orders) {
                out.printf("  progress: shipped=%d cancelled=%d dead-lettered=%d of %d%n", shipped.size(), cancelled.size(),
                        deadLetters.size(), orders);
                nextProgress = System.nanoTime() + PROGRESS_EVERY.toNanos();
            }
            if (done >= orders || System.nanoTime() - deadline >= 0) {
                return deadLetters;
            }
            Thread.sleep(200); // progress polling cadence for the console, not synchronisation
        }
    }

    private List<DeadLetter> ourDeadLetters() {
        return messaging.deadLetters(topics.requests(), OrdersService.GROUP).list(100, Duration.ofMillis(100)).stream()
                .filter(dl -> dl.envelope().correlationId().orElse("").startsWith(runId + "-"))
                .toList();
    }
}
