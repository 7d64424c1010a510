package dev.switchboard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.EventHandler;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link Inbox#transactional} called as the core's dispatcher calls a handler, on each real database: the handler's
 * writes commit with the inbox record or not at all, a duplicate (sequential or concurrent) has no effect, and the
 * connection is handed back as it was handed out.
 */
class InboxTest {
    private static final String GROUP = "billing";

    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void commitsTheHandlersWritesWithTheRecordAndSkipsTheRedelivery(TestDatabase database) throws Exception {
        DataSource dataSource = paymentsDatabase(database, "inbox_once");
        AtomicInteger runs = new AtomicInteger();
        EventHandler<Long> handler = Inbox.of(dataSource).transactional((amount, ctx, connection) -> {
            runs.incrementAndGet();
            Payments.insert(connection, ctx.envelope().id(), amount);
        });

        handler.handle(1999L, TestContext.of(GROUP, "evt-1"));
        handler.handle(1999L, TestContext.of(GROUP, "evt-1")); // the redelivery: returns normally, so it is acked

        assertThat(runs).hasValue(1);
        assertThat(Payments.count(dataSource, "evt-1")).isEqualTo(1);
        assertThat(Payments.inboxRecords(dataSource, GROUP, "evt-1")).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void eachGroupHandlesTheEventOnce(TestDatabase database) throws Exception {
        DataSource dataSource = paymentsDatabase(database, "inbox_groups");
        EventHandler<Long> handler = Inbox.of(dataSource).transactional((amount, ctx, connection) ->
                Payments.insert(connection, ctx.envelope().id(), amount));

        handler.handle(5L, TestContext.of("billing", "evt-1"));
        handler.handle(5L, TestContext.of("shipping", "evt-1"));
        handler.handle(5L, TestContext.of("shipping", "evt-1"));

        assertThat(Payments.count(dataSource, "evt-1")).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aFailingHandlerLeavesNeitherItsWritesNorTheRecordAndItsRetryLandsOnce(TestDatabase database) throws Exception {
        DataSource dataSource = paymentsDatabase(database, "inbox_fail");
        AtomicInteger runs = new AtomicInteger();
        IllegalStateException boom = new IllegalStateException("payment provider timed out");
        EventHandler<Long> handler = Inbox.of(dataSource).transactional((amount, ctx, connection) -> {
            Payments.insert(connection, ctx.envelope().id(), amount);
            if (runs.incrementAndGet() == 1) {
                throw boom;
            }
        });

        assertThatThrownBy(() -> handler.handle(700L, TestContext.of(GROUP, "evt-1"))).isSameAs(boom);
        assertThat(Payments.count(dataSource, "evt-1")).isZero();
        assertThat(Payments.inboxRecords(dataSource, GROUP, "evt-1")).isZero();

        handler.handle(700L, TestContext.of(GROUP, "evt-1"));
        handler.handle(700L, TestContext.of(GROUP, "evt-1"));

        assertThat(runs).hasValue(2);
        assertThat(Payments.count(dataSource, "evt-1")).isEqualTo(1);
        assertThat(Payments.inboxRecords(dataSource, GROUP, "evt-1")).isEqualTo(1);
    }

    /** The second delivery waits on the first one's uncommitted record, then finds it committed and does nothing. */
    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aConcurrentDuplicateWaitsForTheFirstDeliveryAndThenSkips(TestDatabase database) throws Exception {
        DataSource dataSource = paymentsDatabase(database, "inbox_wait");
        CountDownLatch firstWrote = new CountDownLatch(1);
        CountDownLatch letFirstCommit = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        EventHandler<Long> handler = Inbox.of(dataSource).transactional((amount, ctx, connection) -> {
            int run = runs.incrementAndGet();
            Payments.insert(connection, ctx.envelope().id(), amount);
            if (run == 1) {
                firstWrote.countDown();
                assertThat(letFirstCommit.await(30, TimeUnit.SECONDS)).isTrue();
            }
        });

        Future<?> first = deliver(handler, "evt-1");
        assertThat(firstWrote.await(10, TimeUnit.SECONDS)).isTrue();
        Future<?> second = deliver(handler, "evt-1");
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> !second.isDone());
        letFirstCommit.countDown();
        first.get(10, TimeUnit.SECONDS);
        second.get(10, TimeUnit.SECONDS);

        assertThat(runs).hasValue(1);
        assertThat(Payments.count(dataSource, "evt-1")).isEqualTo(1);
        assertThat(Payments.inboxRecords(dataSource, GROUP, "evt-1")).isEqualTo(1);
    }

    /** The second delivery waits on the first one's uncommitted record; the first rolls back, so the second handles it. */
    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aConcurrentDuplicateHandlesTheEventWhenTheFirstDeliveryRollsBack(TestDatabase database) throws Exception {
        DataSource dataSource = paymentsDatabase(database, "inbox_wait_rb");
        CountDownLatch firstWrote = new CountDownLatch(1);
        CountDownLatch letFirstFail = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        EventHandler<Long> handler = Inbox.of(dataSource).transactional((amount, ctx, connection) -> {
            int run = runs.incrementAndGet();
            Payments.insert(connection, ctx.envelope().id(), amount);
            if (run == 1) {
                firstWrote.countDown();
                assertThat(letFirstFail.await(30, TimeUnit.SECONDS)).isTrue();
                throw new IllegalStateException("first delivery fails");
            }
        });

        Future<?> first = deliver(handler, "evt-1");
        assertThat(firstWrote.await(10, TimeUnit.SECONDS)).isTrue();
        Future<?> second = deliver(handler, "evt-1");
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> !second.isDone());
        letFirstFail.countDown();
        assertThatThrownBy(() -> first.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasRootCauseMessage("first delivery fails");
        second.get(10, TimeUnit.SECONDS);

        assertThat(runs).hasValue(2);
        assertThat(Payments.count(dataSource, "evt-1")).isEqualTo(1);
        assertThat(Payments.inboxRecords(dataSource, GROUP, "evt-1")).isEqualTo(1);
    }

    /** Eight deliveries of each of 20 events at once, from eight threads: every event has its effects once. */
    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void manyConcurrentDeliveriesOfEachEventHaveItsEffectsOnce(TestDatabase database) throws Exception {
        DataSource dataSource = paymentsDatabase(database, "inbox_race");
        int copies = 8;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ids.add("evt-" + i);
        }
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        EventHandler<Long> handler = Inbox.of(dataSource).transactional((amount, ctx, connection) -> {
            runs.computeIfAbsent(ctx.envelope().id(), id -> new AtomicInteger()).incrementAndGet();
            Payments.insert(connection, ctx.envelope().id(), amount);
        });
        CyclicBarrier start = new CyclicBarrier(copies);
        List<Future<?>> deliveries = new ArrayList<>();
        for (int t = 0; t < copies; t++) {
            List<String> order = new ArrayList<>(ids);
            Collections.shuffle(order);
            deliveries.add(threads.submit(() -> {
                start.await(10, TimeUnit.SECONDS);
                for (String id : order) {
                    handler.handle(1L, TestContext.of(GROUP, id));
                }
                return null;
            }));
        }
        for (Future<?> delivery : deliveries) {
            delivery.get(60, TimeUnit.SECONDS);
        }

        for (String id : ids) {
            assertThat(runs.get(id)).as(id).hasValue(1);
            assertThat(Payments.count(dataSource, id)).as(id).isEqualTo(1);
        }
    }

    /** A pool may hand out connections in either mode; each goes back in the mode it came in, whatever happened. */
    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void handsTheConnectionBackInItsAutoCommitMode(TestDatabase database) throws Exception {
        DataSource dataSource = paymentsDatabase(database, "inbox_mode");
        try (Connection pooled = dataSource.getConnection()) {
            List<Boolean> autoCommitInHandler = new ArrayList<>();
            EventHandler<Long> handler = Inbox.of(singleConnection(pooled)).transactional((amount, ctx, connection) -> {
                autoCommitInHandler.add(connection.getAutoCommit());
                Payments.insert(connection, ctx.envelope().id(), amount);
                if (ctx.envelope().id().equals("fails")) {
                    throw new IllegalStateException("handler fails");
                }
            });

            for (boolean mode : List.of(true, false)) {
                pooled.setAutoCommit(mode);
                handler.handle(1L, TestContext.of(GROUP, "ok-" + mode));
                assertThat(pooled.getAutoCommit()).as("after a success").isEqualTo(mode);
                handler.handle(1L, TestContext.of(GROUP, "ok-" + mode));
                assertThat(pooled.getAutoCommit()).as("after a duplicate").isEqualTo(mode);
                assertThatThrownBy(() -> handler.handle(1L, TestContext.of(GROUP, "fails")))
                        .hasMessage("handler fails");
                assertThat(pooled.getAutoCommit()).as("after a failure").isEqualTo(mode);
                // committed for everyone to see, even on a connection handed out with auto-commit off
                assertThat(Payments.count(dataSource, "ok-" + mode)).isEqualTo(1);
            }
            assertThat(autoCommitInHandler).containsOnly(false).hasSize(4);
            assertThat(Payments.count(dataSource, "fails")).isZero();
        }
    }

    private Future<?> deliver(EventHandler<Long> handler, String eventId) {
        return threads.submit(() -> {
            handler.handle(1999L, TestContext.of(GROUP, eventId));
            return null;
        });
    }

    private static DataSource paymentsDatabase(TestDatabase database, String label) throws Exception {
        DataSource dataSource = database.fresh(label);
        Payments.createTable(dataSource);
        return dataSource;
    }

    /** A data source that always hands out {@code connection}, whose close does nothing: a one-connection pool. */
    private static DataSource singleConnection(Connection connection) {
        InvocationHandler borrowed = (proxy, method, args) -> {
            if (method.getName().equals("close")) {
                return null;
            }
            try {
                return method.invoke(connection, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        Connection lent = (Connection) Proxy.newProxyInstance(InboxTest.class.getClassLoader(),
                new Class<?>[] {Connection.class}, borrowed);
        return (DataSource) Proxy.newProxyInstance(InboxTest.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        return lent;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
