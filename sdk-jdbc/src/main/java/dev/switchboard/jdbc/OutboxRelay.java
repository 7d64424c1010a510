package dev.switchboard.jdbc;

import dev.switchboard.Messaging;
import dev.switchboard.jdbc.internal.AutoCommit;
import dev.switchboard.jdbc.internal.BucketLeases;
import dev.switchboard.jdbc.internal.Dialect;
import dev.switchboard.jdbc.internal.OutboxTable;
import dev.switchboard.jdbc.internal.RelayLoop;
import dev.switchboard.jdbc.internal.RelayWakeup;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves the committed rows of the outbox to the broker, through {@code messaging.publisher()}; one per service
 * instance, any number at once.
 *
 * <pre>{@code
 * try (OutboxRelay relay = OutboxRelay.builder(messaging, dataSource).start()) {
 *     ...   // the service runs; Outbox.publish(connection, ...) in its transactions
 * }
 * }</pre>
 *
 * <p>Delivery: at least once. A row is deleted only after the broker confirmed it, so a relay killed between the
 * confirmation and the delete publishes it again when its buckets are taken over. Rows of one partition key (of one
 * event id when it has none) leave in id order: the relays share the 64 buckets through leases in the database, one
 * relay per bucket at a time, handing a bucket over only between batches; within a batch a key's row is sent only
 * once the broker confirmed the key's previous row (rows of different keys go out together), so a row that fails is
 * never overtaken by a later row of its key. A transient failure (the broker away) holds back the key's later rows
 * until it is retried, with exponential back-off from 100 ms to 5 s. A row refused for good (a non-retryable
 * {@link dev.switchboard.MessagingException}, such as an oversize event) is moved to
 * {@code switchboard_outbox_parked} with the reason and logged at ERROR, and the rows after it go on. Logs name rows
 * by id, event id, topic and key, never their payload.
 *
 * <p>Threads: a publishing thread, and a lease thread that renews the leases every {@code leaseTime / 5} however long
 * a publish takes. Thread-safe; {@link #close()} is idempotent.
 *
 * @since 0.2
 */
public final class OutboxRelay implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);
    private static final Duration SAFETY_POLL = Duration.ofSeconds(1);

    private final String relayId;
    private final DataSource dataSource;
    private final BucketLeases leases;
    private final RelayLoop loop;
    private final Thread thread;
    private final ScheduledExecutorService renewal;
    private boolean closed;

    private OutboxRelay(Builder builder, Dialect dialect) throws SQLException {
        this.relayId = "relay-" + UUID.randomUUID();
        this.dataSource = builder.dataSource;
        this.leases = new BucketLeases(dialect, relayId, builder.leaseTime.toMillis());
        // lease writes commit one by one, whatever auto-commit mode a pool hands connections out in
        AutoCommit.run(dataSource, connection -> {
            leases.createMissing(connection);
            return leases.heartbeat(connection);
        });
        Messaging messaging = builder.messaging;
        this.loop = new RelayLoop(messaging::publisher, dataSource, leases,
                RelayWakeup.of(dialect, dataSource, builder.idlePollInterval, SAFETY_POLL), builder.batchSize, relayId);
        this.renewal = Executors.newSingleThreadScheduledExecutor(task -> daemon(task, "switchboard-outbox-lease"));
        long period = Math.max(1, builder.leaseTime.toMillis() / 5);
        renewal.scheduleWithFixedDelay(this::renew, period, period, TimeUnit.MILLISECONDS);
        this.thread = daemon(loop, "switchboard-outbox-relay");
        thread.start();
        LOG.info("switchboard outbox relay {} started on {} (batch {}, lease {} ms)", relayId, dialect,
                builder.batchSize, builder.leaseTime.toMillis());
    }

    /** A builder for a relay that publishes the outbox rows of {@code dataSource} through {@code messaging}. */
    public static Builder builder(Messaging messaging, DataSource dataSource) {
        require(messaging != null, "OutboxRelay.builder: messaging must not be null");
        require(dataSource != null, "OutboxRelay.builder: dataSource must not be null");
        return new Builder(messaging, dataSource);
    }

    /** What this relay has done so far. */
    public Stats stats() {
        return new Stats(loop.relayed(), loop.parked(), loop.ownedBuckets(), loop.lastError());
    }

    /** The number of rows waiting in the outbox, of every relay: a query, for monitoring and tests. */
    public long pending() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return OutboxTable.count(connection);
        }
    }

    /**
     * Stops: finishes the batch in flight (waiting for its outcomes and recording them), then gives back this relay's
     * buckets so that the other relays take them over at once. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        loop.stop();
        try {
            thread.join();
            renewal.shutdownNow();
            renewal.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            AutoCommit.run(dataSource, connection -> {
                leases.releaseAll(connection);
                return null;
            });
        } catch (SQLException e) {
            LOG.warn("switchboard outbox relay {}: could not give back its buckets, others take them over when its"
                    + " leases expire: {}", relayId, e.toString());
        }
        LOG.info("switchboard outbox relay {} stopped: {}", relayId, stats());
    }

    private void renew() {
        try {
            AutoCommit.run(dataSource, leases::heartbeat);
        } catch (SQLException | RuntimeException e) {
            LOG.warn("switchboard outbox relay {}: renewing its leases failed, they expire unless the next renewal"
                    + " works: {}", relayId, e.toString());
        }
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /**
     * What a relay has done since it started.
     *
     * @param relayed rows the broker confirmed and the relay deleted
     * @param parked rows the broker refused for good, moved to {@code switchboard_outbox_parked}
     * @param ownedBuckets the buckets (of 64) it holds now
     * @param lastError the last transient failure (publishing or database), or null if none happened
     * @since 0.2
     */
    public record Stats(long relayed, long parked, int ownedBuckets, String lastError) {
    }

    /**
     * Configures a relay; not thread-safe.
     *
     * @since 0.2
     */
    public static final class Builder {
        private final Messaging messaging;
        private final DataSource dataSource;
        private int batchSize = 200;
        private Duration idlePollInterval = Duration.ofMillis(100);
        private Duration leaseTime = Duration.ofSeconds(10);

        private Builder(Messaging messaging, DataSource dataSource) {
            this.messaging = messaging;
            this.dataSource = dataSource;
        }

        /** The most rows published at once, 200 by default. */
        public Builder batchSize(int batchSize) {
            require(batchSize > 0, "OutboxRelay.Builder.batchSize: must be positive, was " + batchSize);
            this.batchSize = batchSize;
            return this;
        }

        /**
         * How long an idle relay waits before looking again, 100 ms by default; not on PostgreSQL, where it waits
         * for {@code NOTIFY} (and looks at least once a second).
         */
        public Builder idlePollInterval(Duration interval) {
            require(interval != null && !interval.isNegative() && !interval.isZero(),
                    "OutboxRelay.Builder.idlePollInterval: must be positive, was " + interval);
            this.idlePollInterval = interval;
            return this;
        }

        /**
         * How long a bucket stays with a relay that stopped renewing it (killed, cut off from the database), 10 s
         * by default: the longest pause of its keys after a crash. Renewed every {@code leaseTime / 5}.
         */
        public Builder leaseTime(Duration leaseTime) {
            require(leaseTime != null && leaseTime.toMillis() >= 50,
                    "OutboxRelay.Builder.leaseTime: must be at least 50 ms, was " + leaseTime);
            this.leaseTime = leaseTime;
            return this;
        }

        /**
         * Starts the relay: creates the lease rows where missing, registers it among the relays, and starts its
         * threads.
         *
         * @throws SQLException if the database is unsupported or unreachable, or its tables are missing
         */
        public OutboxRelay start() throws SQLException {
            Dialect dialect;
            try (Connection connection = dataSource.getConnection()) {
                dialect = Dialect.of(connection);
            }
            return new OutboxRelay(this, dialect);
        }
    }
}
