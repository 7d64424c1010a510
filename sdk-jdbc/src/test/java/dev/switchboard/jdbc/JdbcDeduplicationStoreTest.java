package dev.switchboard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.ErrorCode;
import dev.switchboard.EventEnvelope;
import dev.switchboard.Messaging;
import dev.switchboard.MessagingException;
import dev.switchboard.RetryPolicy;
import dev.switchboard.Subscriber;
import dev.switchboard.Subscription;
import dev.switchboard.inmemory.InMemoryBroker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link JdbcDeduplicationStore} on each real database, alone and as the store of a {@link Messaging}. */
class JdbcDeduplicationStoreTest {
    private static final Duration HOUR = Duration.ofHours(1);

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void claimsAnEventOnceUntilItIsReleased(TestDatabase database) {
        JdbcDeduplicationStore store = JdbcDeduplicationStore.of(database.fresh("dedup_claim"));

        assertThat(store.tryClaim("billing", "evt-1", HOUR)).as("first claim").isTrue();
        assertThat(store.tryClaim("billing", "evt-1", HOUR)).as("duplicate").isFalse();
        store.release("billing", "evt-1");
        assertThat(store.tryClaim("billing", "evt-1", HOUR)).as("claim after release").isTrue();
        assertThat(store.tryClaim("billing", "evt-1", HOUR)).as("duplicate of the new claim").isFalse();
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void groupsAndEventsAreIndependent(TestDatabase database) {
        JdbcDeduplicationStore store = JdbcDeduplicationStore.of(database.fresh("dedup_groups"));

        assertThat(store.tryClaim("billing", "evt-1", HOUR)).isTrue();
        assertThat(store.tryClaim("shipping", "evt-1", HOUR)).isTrue();
        assertThat(store.tryClaim("billing", "evt-2", HOUR)).isTrue();
        store.release("shipping", "evt-1");
        assertThat(store.tryClaim("billing", "evt-1", HOUR)).as("another group's release frees nothing here").isFalse();
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void anExpiredClaimIsTakenOverAndRenewed(TestDatabase database) {
        JdbcDeduplicationStore store = JdbcDeduplicationStore.of(database.fresh("dedup_expiry"));

        assertThat(store.tryClaim("billing", "evt-1", Duration.ofSeconds(1))).isTrue();
        assertThat(store.tryClaim("billing", "evt-1", HOUR)).as("claim still valid").isFalse();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> store.tryClaim("billing", "evt-1", HOUR));
        assertThat(store.tryClaim("billing", "evt-1", HOUR)).as("the takeover renewed the claim for an hour").isFalse();
    }

    /** A subscription may deduplicate on the store and handle through the inbox: neither mistakes the other's row. */
    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aClaimIsNotTakenForAnInboxRecordOfTheSameGroup(TestDatabase database) throws Exception {
        DataSource dataSource = database.fresh("dedup_inbox");
        Payments.createTable(dataSource);
        JdbcDeduplicationStore store = JdbcDeduplicationStore.of(dataSource);

        assertThat(store.tryClaim("billing", "evt-1", HOUR)).isTrue();
        Inbox.of(dataSource).<Long>transactional((amount, ctx, connection) ->
                Payments.insert(connection, ctx.envelope().id(), amount)).handle(5L, TestContext.of("billing", "evt-1"));

        assertThat(Payments.count(dataSource, "evt-1")).isEqualTo(1);
        assertThat(store.tryClaim("billing", "evt-1", HOUR)).as("the claim is still there").isFalse();
    }

    /**
     * Through {@code Messaging.builder().deduplicationStore(...)} on the in-memory broker: the same event published
     * twice is handled once (and the claim is in the table, so this store did it), and an event whose first attempt
     * fails is still handled.
     */
    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void deduplicatesASubscriptionOfTheInMemoryBroker(TestDatabase database) {
        DataSource dataSource = database.fresh("dedup_messaging");
        String instance = "dedup-" + UUID.randomUUID();
        String group = "billing";
        List<String> handled = new CopyOnWriteArrayList<>();
        AtomicInteger attemptsOfFlaky = new AtomicInteger();
        try (Messaging messaging = Messaging.builder()
                .properties(Map.of("switchboard.broker", "in-memory", "switchboard.in-memory.instance", instance))
                .deduplicationStore(JdbcDeduplicationStore.of(dataSource)).build()) {
            Subscriber subscriber = messaging.subscribe(Subscription.to("payments").group(group)
                    .deduplicate(Duration.ofMinutes(5)).retry(RetryPolicy.fixed(3, Duration.ZERO))
                    .onEnvelope((envelope, ctx) -> {
                        if (envelope.id().equals("flaky") && attemptsOfFlaky.incrementAndGet() == 1) {
                            throw new IllegalStateException("first attempt fails");
                        }
                        handled.add(envelope.id());
                    }));
            EventEnvelope twice = EventEnvelope.builder().id("twice").type("test.payment").data("{}").build();
            messaging.publisher().publish("payments", twice).toCompletableFuture().join();
            messaging.publisher().publish("payments", twice).toCompletableFuture().join();
            messaging.publisher().publish("payments", twice.toBuilder().id("flaky").build()).toCompletableFuture().join();

            await().atMost(Duration.ofSeconds(20)).until(() -> subscriber.stats().duplicates() == 1
                    && handled.contains("flaky"));
            assertThat(handled).containsExactlyInAnyOrder("twice", "flaky");
            assertThat(attemptsOfFlaky).hasValue(2);
            assertThat(Payments.Sql.count(dataSource, "SELECT COUNT(*) FROM switchboard_inbox WHERE event_id = ?",
                    "twice")).as("the claim of the JDBC store").isEqualTo(1);
        } finally {
            InMemoryBroker.named(instance).close();
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aDatabaseThatIsDownIsATypedRetryableErrorNotAnAnswer(TestDatabase database) {
        SwitchableDataSource dataSource = new SwitchableDataSource(database.fresh("dedup_down"));
        JdbcDeduplicationStore store = JdbcDeduplicationStore.of(dataSource);
        dataSource.down = true;

        assertThatThrownBy(() -> store.tryClaim("billing", "e1", HOUR)).isInstanceOfSatisfying(MessagingException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE)).hasMessageContaining("e1");
        assertThatThrownBy(() -> store.release("billing", "e1")).isInstanceOf(MessagingException.class);
        dataSource.down = false;
        assertThat(store.tryClaim("billing", "e1", HOUR)).isTrue();
    }

    /** The store's database is down when the event arrives: the event waits (retried), and is handled once it is back. */
    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void anEventArrivingWhileTheStoreIsDownIsHandledOnceItIsBack(TestDatabase database) {
        SwitchableDataSource dataSource = new SwitchableDataSource(database.fresh("dedup_down_e2e"));
        String instance = "dedup-down-" + UUID.randomUUID();
        List<String> handled = new CopyOnWriteArrayList<>();
        try (Messaging messaging = Messaging.builder()
                .properties(Map.of("switchboard.broker", "in-memory", "switchboard.in-memory.instance", instance))
                .deduplicationStore(JdbcDeduplicationStore.of(dataSource)).build()) {
            Subscriber subscriber = messaging.subscribe(Subscription.to("payments").group("billing")
                    .deduplicate(Duration.ofMinutes(5)).retry(RetryPolicy.fixed(50, Duration.ofMillis(100)))
                    .onEnvelope((envelope, ctx) -> handled.add(envelope.id())));
            dataSource.down = true;
            messaging.publisher().publish("payments", EventEnvelope.builder().id("p1").type("test.payment").data("{}")
                    .build()).toCompletableFuture().join();

            await().atMost(Duration.ofSeconds(20)).until(() -> subscriber.stats().retried() >= 2);
            assertThat(handled).as("not handled without a claim").isEmpty();
            dataSource.down = false;
            await().atMost(Duration.ofSeconds(20)).until(() -> handled.contains("p1"));
            assertThat(handled).containsExactly("p1");
            assertThat(subscriber.stats().deadLettered()).isZero();
        } finally {
            InMemoryBroker.named(instance).close();
        }
    }
}
