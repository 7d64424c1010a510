package dev.switchboard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.EventEnvelope;
import dev.switchboard.EventHandler;
import dev.switchboard.Messaging;
import dev.switchboard.RetryPolicy;
import dev.switchboard.Subscriber;
import dev.switchboard.Subscription;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The inbox end to end, on a real broker (one subclass per broker) and each real database: events really published,
 * really redelivered, and handled by {@link Inbox#transactional} into a {@code payments} table of the handler's own.
 * The redeliveries are the two a broker makes: a second copy of one event id (a producer's retried publish, or a
 * broker's at-least-once delivery), and the delivery of an event whose handler's transaction committed but whose
 * delivery was not acknowledged (the process failed between the commit and the ack), which the retry policy runs
 * again.
 */
abstract class InboxOverBrokerContract {
    private static final Duration WAIT = Duration.ofSeconds(60);

    /** The payload the tests publish. */
    record PaymentRequested(String orderId, long amountCents) {
    }

    /** The properties that select this broker for the run named {@code run}; skips the test if the broker is absent. */
    protected abstract Map<String, String> properties(String run);

    /** Removes what the run left on the broker. */
    protected abstract void cleanUp(String run, String topic, String group);

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void anEventPublishedTwiceHasItsEffectsOnce(TestDatabase database) throws Exception {
        try (Run run = new Run(database, "twice")) {
            AtomicInteger runs = new AtomicInteger();
            Subscriber subscriber = run.subscribe(run.inbox.<PaymentRequested>transactional((payment, ctx, connection) -> {
                runs.incrementAndGet();
                Payments.insert(connection, ctx.envelope().id(), payment.amountCents());
            }));
            EventEnvelope payment = run.envelope(new PaymentRequested("o-1", 1999));
            EventEnvelope other = run.envelope(new PaymentRequested("o-2", 500));

            run.publish(payment);
            run.publish(payment);
            run.publish(other);

            await().atMost(WAIT).until(() -> subscriber.stats().acknowledged() == 3);
            assertThat(runs).as("handler runs").hasValue(2);
            assertThat(Payments.count(run.dataSource, payment.id())).isEqualTo(1);
            assertThat(Payments.count(run.dataSource, other.id())).isEqualTo(1);
            assertThat(Payments.inboxRecords(run.dataSource, run.group, payment.id())).isEqualTo(1);
            assertThat(subscriber.stats().retried()).isZero();
            assertThat(subscriber.stats().deadLettered()).isZero();
        }
    }

    /**
     * The handler's transaction commits, then the delivery fails before its ack (here: the code around the inbox
     * handler throws after it returned), so the event comes again: the second run finds the record and only acks.
     */
    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void anEventWhoseTransactionCommittedButWasNotAckedHasItsEffectsOnce(TestDatabase database) throws Exception {
        try (Run run = new Run(database, "commit_then_fail")) {
            AtomicInteger runs = new AtomicInteger();
            AtomicInteger deliveries = new AtomicInteger();
            EventHandler<PaymentRequested> inbox = run.inbox.transactional((payment, ctx, connection) -> {
                runs.incrementAndGet();
                Payments.insert(connection, ctx.envelope().id(), payment.amountCents());
            });
            Subscriber subscriber = run.subscribe((payment, ctx) -> {
                inbox.handle(payment, ctx);
                if (deliveries.incrementAndGet() == 1) {
                    throw new IllegalStateException("failed after the commit, before the ack");
                }
            });
            EventEnvelope payment = run.envelope(new PaymentRequested("o-1", 1999));

            run.publish(payment);

            await().atMost(WAIT).until(() -> subscriber.stats().acknowledged() == 1);
            assertThat(deliveries).as("deliveries").hasValue(2);
            assertThat(subscriber.stats().retried()).isEqualTo(1);
            assertThat(runs).as("handler runs").hasValue(1);
            assertThat(Payments.count(run.dataSource, payment.id())).isEqualTo(1);
        }
    }

    /** The handler writes, then throws: its write and the record roll back, and the retry's effects land once. */
    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aHandlerThatThrowsLeavesNothingAndItsRetryHasItsEffectsOnce(TestDatabase database) throws Exception {
        try (Run run = new Run(database, "throws")) {
            AtomicInteger runs = new AtomicInteger();
            AtomicInteger paymentsSeenBySecondRun = new AtomicInteger(-1);
            Subscriber subscriber = run.subscribe(run.inbox.<PaymentRequested>transactional((payment, ctx, connection) -> {
                int attempt = runs.incrementAndGet();
                if (attempt == 2) {
                    paymentsSeenBySecondRun.set(Payments.count(run.dataSource, ctx.envelope().id()));
                }
                Payments.insert(connection, ctx.envelope().id(), payment.amountCents());
                if (attempt == 1) {
                    throw new IllegalStateException("payment provider timed out");
                }
            }));
            EventEnvelope payment = run.envelope(new PaymentRequested("o-1", 1999));

            run.publish(payment);

            await().atMost(WAIT).until(() -> subscriber.stats().acknowledged() == 1);
            assertThat(runs).as("handler runs").hasValue(2);
            assertThat(paymentsSeenBySecondRun).as("the first run's write, rolled back").hasValue(0);
            assertThat(subscriber.stats().retried()).isEqualTo(1);
            assertThat(Payments.count(run.dataSource, payment.id())).isEqualTo(1);
            assertThat(Payments.inboxRecords(run.dataSource, run.group, payment.id())).isEqualTo(1);
        }
    }

    /**
     * A subscription that deduplicates on the {@link JdbcDeduplicationStore} of the same tables and handles through
     * the inbox: the dedup claim taken before the handler is not mistaken for the inbox record.
     */
    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aDeduplicatingSubscriptionHandlesThroughTheInboxOnce(TestDatabase database) throws Exception {
        try (Run run = new Run(database, "dedup_and_inbox")) {
            AtomicInteger runs = new AtomicInteger();
            Subscriber subscriber = run.subscribe(Subscription.to(run.topic).group(run.group)
                    .retry(RetryPolicy.fixed(5, Duration.ZERO)).deduplicate(Duration.ofMinutes(5))
                    .on(PaymentRequested.class, run.inbox.transactional((payment, ctx, connection) -> {
                        runs.incrementAndGet();
                        Payments.insert(connection, ctx.envelope().id(), payment.amountCents());
                    })));
            EventEnvelope payment = run.envelope(new PaymentRequested("o-1", 1999));

            run.publish(payment);
            run.publish(payment);

            await().atMost(WAIT).until(() -> subscriber.stats().duplicates() == 1
                    && Payments.count(run.dataSource, payment.id()) == 1);
            assertThat(runs).as("handler runs").hasValue(1);
        }
    }

    /** One test's database, broker connection, topic and group, cleaned up at the end. */
    private final class Run implements AutoCloseable {
        final DataSource dataSource;
        final Inbox inbox;
        final String name = UUID.randomUUID().toString().substring(0, 8);
        final String topic = "inbox-" + name;
        final String group = "billing-" + name;
        final Messaging messaging;

        Run(TestDatabase database, String label) throws Exception {
            dataSource = database.fresh(label);
            Payments.createTable(dataSource);
            inbox = Inbox.of(dataSource);
            messaging = Messaging.builder().properties(properties(name))
                    .deduplicationStore(JdbcDeduplicationStore.of(dataSource)).build();
        }

        Subscriber subscribe(EventHandler<PaymentRequested> handler) {
            return subscribe(Subscription.to(topic).group(group).retry(RetryPolicy.fixed(5, Duration.ZERO))
                    .on(PaymentRequested.class, handler));
        }

        Subscriber subscribe(Subscription.Builder subscription) {
            return messaging.subscribe(subscription);
        }

        EventEnvelope envelope(PaymentRequested payment) {
            return messaging.publisher().envelope(payment).partitionKey(payment.orderId()).build();
        }

        void publish(EventEnvelope envelope) {
            messaging.publisher().publish(topic, envelope).toCompletableFuture().join();
        }

        @Override
        public void close() {
            try {
                messaging.close();
            } finally {
                cleanUp(name, topic, group);
            }
        }
    }
}
