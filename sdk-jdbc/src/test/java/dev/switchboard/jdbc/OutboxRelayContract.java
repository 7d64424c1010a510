package dev.switchboard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.EventEnvelope;
import dev.switchboard.Messaging;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The outbox's promises on a real broker and real databases, the same cases on every broker: nothing of a rolled-back
 * transaction is sent and a committed event arrives intact; per-key order; no loss when a relay is killed with
 * SIGKILL mid-batch; exactly once with three relays at once; no loss over a broker outage; a refused row is parked
 * while the others flow.
 */
abstract class OutboxRelayContract {
    /** Short leases, so that a killed relay's buckets are taken over within seconds. */
    static final Duration LEASE = Duration.ofSeconds(2);
    static final Duration DELIVERY = Duration.ofMinutes(2);

    private final Deque<AutoCloseable> toClose = new ArrayDeque<>();
    protected String topic;

    @TempDir
    Path workDir;

    /** The properties that select the broker (skipping or failing the test when it is absent). */
    protected abstract Map<String, String> brokerProperties();

    /** A payload size the broker refuses for good. */
    protected abstract int oversizeBytes();

    /** Whether a relay in another JVM reaches the same broker (not so for the in-memory broker). */
    protected boolean sharedAcrossProcesses() {
        return true;
    }

    /** Skips the test unless the broker can be stopped and started again from here. */
    protected void assumeBrokerCanStop() {
        Assumptions.abort("this broker cannot be stopped from a test");
    }

    protected void stopBroker() {
        throw new UnsupportedOperationException();
    }

    protected void startBroker() {
        throw new UnsupportedOperationException();
    }

    /** Removes what the broker keeps of a test's topic. */
    protected void cleanUp(String topic) {
    }

    @BeforeEach
    void newTopic() {
        topic = "outbox-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void closeAll() {
        while (!toClose.isEmpty()) {
            try {
                toClose.pop().close();
            } catch (Exception e) {
                System.err.println("closing after the test: " + e);
            }
        }
        cleanUp(topic);
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aRolledBackTransactionSendsNothingAndACommittedOneArrivesIntact(TestDatabase database) throws Exception {
        DataSource dataSource = database.fresh("rollback");
        Messaging messaging = messaging();
        Received received = Received.subscribe(messaging, topic);
        relay(messaging, dataSource, 200);
        Outbox outbox = Outbox.of(messaging);

        EventEnvelope rolledBack;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            rolledBack = outbox.publish(connection, topic, new OrderPlaced("o-rolled-back", 1));
            connection.rollback();
        }
        EventEnvelope given = messaging.publisher().envelope(new OrderPlaced("o-42", 1999)).partitionKey("o-42")
                .correlationId("req-7").subject("orders/o-42").extension("tenant", "acme").build();
        EventEnvelope committed;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            committed = outbox.publish(connection, topic, given);
            connection.commit();
        }

        await().atMost(DELIVERY).until(() -> received.distinctIds().contains(committed.id()));
        // the rolled-back event was written first: had it been relayed, it would have arrived before the committed one
        assertThat(received.distinctIds()).containsExactly(committed.id()).doesNotContain(rolledBack.id());
        EventEnvelope arrived = received.all().get(0);
        assertThat(arrived.type()).isEqualTo(committed.type());
        assertThat(arrived.source()).isEqualTo(committed.source());
        assertThat(arrived.time().toInstant()).isEqualTo(committed.time().toInstant());
        assertThat(arrived.partitionKey()).contains("o-42");
        assertThat(arrived.correlationId()).contains("req-7");
        assertThat(arrived.subject()).contains("orders/o-42");
        assertThat(arrived.extension("tenant")).contains("acme");
        assertThat(arrived.dataContentType()).isEqualTo(committed.dataContentType());
        assertThat(arrived.data()).isEqualTo(committed.data())
                .isEqualTo(messaging.publisher().envelope(new OrderPlaced("o-42", 1999)).build().data());
        await().atMost(DELIVERY).until(() -> pending(dataSource) == 0);
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void eventsOfEachKeyArriveInCommitOrder(TestDatabase database) throws Exception {
        DataSource dataSource = database.fresh("order");
        Messaging messaging = messaging();
        Received received = Received.subscribe(messaging, topic);
        relay(messaging, dataSource, 50);
        OutboxWriter writer = new OutboxWriter(Outbox.of(messaging), dataSource, topic);

        // 4 writers of 10 keys each, 30 rounds: every transaction interleaves its writer's keys
        runWriters(writer, 4, 10, 30, null);

        await().atMost(DELIVERY).until(() -> received.distinctIds().containsAll(writer.committed()));
        assertThat(writer.committed()).hasSize(4 * 10 * 30);
        assertThat(received.keysOutOfOrder()).isEmpty();
        report(database, "per-key order", "events=" + writer.committed().size() + " duplicates=" + received.duplicates());
    }

    /** A single key's rows leave one confirmation after another: this measures what that costs. */
    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = "POSTGRESQL")
    void aSingleHotKeyArrivesInOrder(TestDatabase database) throws Exception {
        DataSource dataSource = database.fresh("hot_key");
        Messaging messaging = messaging();
        Received received = Received.subscribe(messaging, topic);
        OutboxWriter writer = new OutboxWriter(Outbox.of(messaging), dataSource, topic);
        for (int round = 0; round < 1000; round++) {
            writer.commitRound(List.of("hot"), round);
        }
        long start = System.nanoTime();
        relay(messaging, dataSource, 200);
        await().atMost(DELIVERY).until(() -> received.distinctIds().containsAll(writer.committed()));
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(received.keysOutOfOrder()).isEmpty();
        report(database, "one hot key", "events=1000 ms=" + millis + " duplicates=" + received.duplicates());
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"POSTGRESQL", "MARIADB"})
    void aRelayKilledMidBatchLosesNothingAndTheNextKeepsKeyOrder(TestDatabase database) throws Exception {
        Assumptions.assumeTrue(sharedAcrossProcesses(), "the broker lives in this JVM only");
        DataSource dataSource = database.fresh("kill");
        Messaging messaging = messaging();
        Received received = Received.subscribe(messaging, topic);
        OutboxWriter writer = new OutboxWriter(Outbox.of(messaging), dataSource, topic);
        List<String> keys = OutboxWriter.keys("k", 100);
        for (int round = 0; round < 60; round++) {
            writer.commitRound(keys, round);
        }
        int total = writer.committed().size();

        ChildRelay child = ChildRelay.start("killed", workDir, TestDatabase.urlOf(dataSource), childProperties(), 50,
                LEASE.toMillis(), 2);
        long pendingAtKill;
        try {
            await().atMost(DELIVERY).pollInterval(Duration.ofMillis(5)).until(() -> pending(dataSource) < total - 1000);
            child.kill();
            pendingAtKill = pending(dataSource);
        } finally {
            child.destroy();
        }
        assertThat(pendingAtKill).as("rows left when the relay was killed").isPositive();

        long start = System.nanoTime();
        OutboxRelay successor = relay(messaging, dataSource, 200);
        await().atMost(DELIVERY).until(() -> received.distinctIds().containsAll(writer.committed()));
        long drainMillis = (System.nanoTime() - start) / 1_000_000;
        await().atMost(DELIVERY).until(() -> pending(dataSource) == 0);

        assertThat(received.keysOutOfOrder()).isEmpty();
        report(database, "kill -9", "events=" + total + " pendingAtKill=" + pendingAtKill + " lost=0 duplicates="
                + received.duplicates() + " takeOverAndDrainMs=" + drainMillis + " successor=" + successor.stats());
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void threeRelaysDeliverEveryRowExactlyOnceInKeyOrder(TestDatabase database) throws Exception {
        DataSource dataSource = database.fresh("three");
        Messaging consumer = messaging();
        Received received = Received.subscribe(consumer, topic);
        List<OutboxRelay> relays = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            relays.add(relay(messaging(), dataSource, 50));
        }
        OutboxWriter writer = new OutboxWriter(Outbox.of(consumer), dataSource, topic);

        long start = System.nanoTime();
        runWriters(writer, 4, 15, 80, null);
        await().atMost(DELIVERY).until(() -> received.distinctIds().containsAll(writer.committed()));
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(writer.committed()).hasSize(4 * 15 * 80);
        assertThat(received.duplicates()).isZero();
        assertThat(received.keysOutOfOrder()).isEmpty();
        assertThat(relays).allSatisfy(relay -> assertThat(relay.stats().relayed()).isPositive());
        assertThat(relays.stream().mapToLong(r -> r.stats().relayed()).sum()).isEqualTo(writer.committed().size());
        report(database, "three relays", "events=" + writer.committed().size() + " duplicates=0 ms=" + millis
                + " relayed=" + relays.stream().map(r -> r.stats().relayed()).toList());
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"POSTGRESQL", "MARIADB"})
    void threeRelayProcessesDeliverEveryRowExactlyOnceInKeyOrder(TestDatabase database) throws Exception {
        Assumptions.assumeTrue(sharedAcrossProcesses(), "the broker lives in this JVM only");
        DataSource dataSource = database.fresh("three_jvms");
        Messaging messaging = messaging();
        Received received = Received.subscribe(messaging, topic);
        List<CompletableFuture<ChildRelay>> starting = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String name = "relay-" + i;
            starting.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return ChildRelay.start(name, workDir, TestDatabase.urlOf(dataSource), childProperties(), 50,
                            LEASE.toMillis(), 0);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        List<ChildRelay> children = new ArrayList<>();
        try {
            for (CompletableFuture<ChildRelay> child : starting) {
                children.add(child.get(2, TimeUnit.MINUTES));
            }
            OutboxWriter writer = new OutboxWriter(Outbox.of(messaging), dataSource, topic);
            long start = System.nanoTime();
            runWriters(writer, 4, 15, 80, null);
            await().atMost(DELIVERY).until(() -> received.distinctIds().containsAll(writer.committed()));
            long millis = (System.nanoTime() - start) / 1_000_000;
            List<Long> relayed = new ArrayList<>();
            for (ChildRelay child : children) {
                relayed.add(child.stop());
            }

            assertThat(received.duplicates()).isZero();
            assertThat(received.keysOutOfOrder()).isEmpty();
            assertThat(relayed).allSatisfy(rows -> assertThat(rows).isPositive());
            assertThat(relayed.stream().mapToLong(Long::longValue).sum()).isEqualTo(writer.committed().size());
            assertThat(pending(dataSource)).isZero();
            report(database, "three relay JVMs", "events=" + writer.committed().size() + " duplicates=0 ms=" + millis
                    + " relayed=" + relayed);
        } finally {
            children.forEach(ChildRelay::destroy);
            starting.forEach(child -> child.thenAccept(ChildRelay::destroy));
        }
    }

    @Tag("broker-outage")
    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"POSTGRESQL", "MARIADB"})
    void theOutboxGrowsWhileTheBrokerIsDownAndDrainsAfterwards(TestDatabase database) throws Exception {
        assumeBrokerCanStop();
        DataSource dataSource = database.fresh("outage");
        Messaging messaging = messaging();
        Received received = Received.subscribe(messaging, topic);
        OutboxRelay relay = relay(messaging, dataSource, 200);
        OutboxWriter writer = new OutboxWriter(Outbox.of(messaging), dataSource, topic);
        AtomicBoolean writing = new AtomicBoolean(true);
        CompletableFuture<Void> writers = CompletableFuture.runAsync(() -> {
            try {
                runWriters(writer, 2, 5, Integer.MAX_VALUE, writing);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(DELIVERY).until(() -> received.distinctIds().size() >= 200);

        long pendingBefore;
        long pendingAfter;
        int receivedBefore;
        int receivedAfter;
        stopBroker();
        try {
            long stopped = System.nanoTime();
            await().pollDelay(Duration.ofSeconds(3)).until(() -> true); // 3 s into the outage
            pendingBefore = relay.pending();
            receivedBefore = received.distinctIds().size();
            await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> System.nanoTime() - stopped >= TimeUnit.SECONDS.toNanos(30));
            pendingAfter = relay.pending();
            receivedAfter = received.distinctIds().size();
        } finally {
            startBroker();
        }
        long started = System.nanoTime();
        await().pollDelay(Duration.ofSeconds(5)).until(() -> true); // the writers go on 5 s with the broker back
        writing.set(false);
        writers.get(1, TimeUnit.MINUTES);
        long writersStopped = System.nanoTime();
        await().atMost(Duration.ofMinutes(3)).until(() -> relay.pending() == 0);
        long drained = System.nanoTime();
        await().atMost(DELIVERY).until(() -> received.distinctIds().containsAll(writer.committed()));

        // not the relay's count: rows confirmed just before the stop are counted once their whole batch has ended
        assertThat(receivedAfter).as("events consumed between 3 s and 30 s into the outage: if any, the broker was back"
                + " early (another test run started it?)").isEqualTo(receivedBefore);
        assertThat(pendingAfter).as("rows waiting at the end of the outage").isGreaterThan(pendingBefore + 100);
        assertThat(received.keysOutOfOrder()).isEmpty();
        report(database, "broker down 30 s", "written=" + writer.committed().size() + " pending 3 s into the outage="
                + pendingBefore + " at 30 s=" + pendingAfter + " lost=0 duplicates=" + received.duplicates()
                + " drainedMsAfterRestart=" + (drained - started) / 1_000_000 + " drainedMsAfterWritersStopped="
                + (drained - writersStopped) / 1_000_000 + " lastError=" + relay.stats().lastError());
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"POSTGRESQL", "H2"})
    void aRowRefusedForGoodIsParkedAndTheOthersFlow(TestDatabase database) throws Exception {
        DataSource dataSource = database.fresh("park");
        Messaging messaging = messaging();
        Received received = Received.subscribe(messaging, topic);
        Outbox outbox = Outbox.of(messaging);
        EventEnvelope oversize = EventEnvelope.builder().type("dev.switchboard.test.big").partitionKey("big")
                .data(new byte[oversizeBytes()]).build();
        List<EventEnvelope> written;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            written = outbox.publishAll(connection, topic, List.of(OutboxWriter.event("a", 0), oversize,
                    OutboxWriter.event("big", 1), OutboxWriter.event("b", 0)));
            connection.commit();
        }
        OutboxRelay relay = relay(messaging, dataSource, 200);
        List<String> flowing = List.of(written.get(0).id(), written.get(2).id(), written.get(3).id());

        await().atMost(DELIVERY).until(() -> received.distinctIds().containsAll(flowing));
        await().atMost(DELIVERY).until(() -> pending(dataSource) == 0);
        assertThat(received.distinctIds()).doesNotContain(oversize.id());
        assertThat(relay.stats().parked()).isEqualTo(1);
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT event_id, reason FROM switchboard_outbox_parked")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo(oversize.id());
            assertThat(rs.getString(2)).contains("INVALID_ARGUMENT").contains(oversize.id());
            assertThat(rs.next()).isFalse();
        }
    }

    // ---- support

    record OrderPlaced(String id, long cents) {
    }

    Messaging messaging() {
        Map<String, String> properties = new HashMap<>(brokerProperties());
        properties.put("switchboard.service-name", "outbox-test");
        properties.putIfAbsent("switchboard.publish.timeout", "5s");
        Messaging messaging = Messaging.fromConfig(properties);
        toClose.push(messaging);
        return messaging;
    }

    OutboxRelay relay(Messaging messaging, DataSource dataSource, int batchSize) throws Exception {
        OutboxRelay relay = OutboxRelay.builder(messaging, dataSource).batchSize(batchSize).leaseTime(LEASE).start();
        toClose.push(relay);
        return relay;
    }

    static long pending(DataSource dataSource) throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM switchboard_outbox")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * {@code writers} threads, each committing {@code rounds} transactions (fewer once {@code keepGoing} turns false)
     * over its own {@code keysEach} keys.
     */
    static void runWriters(OutboxWriter writer, int writers, int keysEach, int rounds, AtomicBoolean keepGoing)
            throws Exception {
        List<CompletableFuture<Void>> running = new ArrayList<>();
        AtomicReference<Exception> failure = new AtomicReference<>();
        for (int w = 0; w < writers; w++) {
            List<String> keys = OutboxWriter.keys("w" + w + "-k", keysEach);
            running.add(CompletableFuture.runAsync(() -> {
                try {
                    for (int round = 0; round < rounds && (keepGoing == null || keepGoing.get()); round++) {
                        writer.commitRound(keys, round);
                        if (keepGoing != null) {
                            TimeUnit.MILLISECONDS.sleep(20); // a steady stream, not a synchronisation
                        }
                    }
                } catch (Exception e) {
                    failure.set(e);
                }
            }, runnable -> new Thread(runnable, "outbox-writer").start()));
        }
        CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    private Map<String, String> childProperties() {
        Map<String, String> properties = new HashMap<>(brokerProperties());
        properties.put("switchboard.service-name", "outbox-test");
        return properties;
    }

    void report(TestDatabase database, String what, String numbers) {
        System.out.println("[outbox " + getClass().getSimpleName() + " " + database + "] " + what + ": " + numbers);
    }
}
