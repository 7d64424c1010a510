package dev.switchboard.jdbc.internal;

import dev.switchboard.EventEnvelope;
import dev.switchboard.Publisher;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's publishing loop, on one thread: share the buckets (between batches only), read the oldest rows of its
 * buckets, publish them in id order (a key's next row only once its previous one is confirmed), delete the confirmed
 * rows and park the refused ones.
 * Again at once while it finds rows; idle, it waits on its {@link RelayWakeup}; after a transient failure (the broker
 * or the database away) it backs off exponentially, from 100 ms to 5 s, deleting nothing it has not confirmed.
 * Its counters are read from any thread.
 */
public final class RelayLoop implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(RelayLoop.class);
    private static final long MIN_BACKOFF_MILLIS = 100;
    private static final long MAX_BACKOFF_MILLIS = 5_000;

    private final Supplier<Publisher> publisher;
    private final DataSource dataSource;
    private final BucketLeases leases;
    private final RelayWakeup wakeup;
    private final int batchSize;
    private final String relayId;
    private final AtomicLong relayed = new AtomicLong();
    private final AtomicLong parked = new AtomicLong();
    private volatile int ownedBuckets;
    private volatile String lastError;
    private volatile boolean stopping;
    private Connection connection;
    private long backoffMillis;

    public RelayLoop(Supplier<Publisher> publisher, DataSource dataSource, BucketLeases leases, RelayWakeup wakeup,
                     int batchSize, String relayId) {
        this.publisher = publisher;
        this.dataSource = dataSource;
        this.leases = leases;
        this.wakeup = wakeup;
        this.batchSize = batchSize;
        this.relayId = relayId;
    }

    @Override
    public void run() {
        try {
            while (!stopping) {
                long pauseMillis = step();
                if (pauseMillis < 0 && !stopping) {
                    wakeup.await();
                } else if (pauseMillis > 0) {
                    pause(pauseMillis);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            wakeup.close();
            closeConnection();
            ownedBuckets = 0;
        }
    }

    /** Ends the loop after the batch in flight (whose outcomes it still waits for and records). */
    public void stop() {
        synchronized (this) {
            stopping = true;
            notifyAll();
        }
        wakeup.wakeUp();
    }

    public long relayed() {
        return relayed.get();
    }

    public long parked() {
        return parked.get();
    }

    public int ownedBuckets() {
        return ownedBuckets;
    }

    public String lastError() {
        return lastError;
    }

    /** One batch: 0 to go on at once, -1 to wait for new rows, or the milliseconds to back off. */
    private long step() {
        try {
            Connection db = connection();
            SortedSet<Integer> owned = leases.rebalance(db);
            ownedBuckets = owned.size();
            List<OutboxRow> rows = OutboxTable.oldest(db, owned, batchSize);
            if (rows.isEmpty()) {
                return -1;
            }
            BatchOutcome outcome = BatchOutcome.of(rows, publish(rows));
            OutboxTable.delete(db, outcome.confirmed());
            relayed.addAndGet(outcome.confirmed().size());
            for (Map.Entry<OutboxRow, String> refused : outcome.refused().entrySet()) {
                OutboxTable.park(db, refused.getKey(), refused.getValue());
                parked.incrementAndGet();
                LOG.error("switchboard outbox relay {} parked {} in switchboard_outbox_parked; the broker refused it"
                        + " for good: {}", relayId, refused.getKey(), refused.getValue());
            }
            if (outcome.transientFailure() != null) {
                return backOff("publishing", outcome.transientFailure());
            }
            backoffMillis = 0;
            return 0;
        } catch (SQLException e) {
            closeConnection();
            return backOff("the database", e);
        } catch (RuntimeException e) {
            return backOff("the relay", e);
        }
    }

    /**
     * Publishes the rows in waves, the n-th row of every key in the n-th wave, each wave in id order and awaited before
     * the next: a key's row leaves only once the broker confirmed its previous one, so a failed row is never overtaken
     * by a later row of its key, while rows of different keys go out together. After a transient failure the key's
     * later rows are not sent (their outcome is that failure). One failure, or null, per row.
     */
    private List<Throwable> publish(List<OutboxRow> rows) {
        Publisher target = publisher.get();
        List<List<Integer>> waves = new ArrayList<>();
        Map<String, Integer> rowsPerKey = new HashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            int wave = rowsPerKey.merge(rows.get(i).orderingKey(), 1, Integer::sum) - 1;
            if (wave == waves.size()) {
                waves.add(new ArrayList<>());
            }
            waves.get(wave).add(i);
        }
        Throwable[] failures = new Throwable[rows.size()];
        Map<String, Throwable> stopped = new HashMap<>();
        for (List<Integer> wave : waves) {
            List<Integer> sent = new ArrayList<>(wave.size());
            List<CompletableFuture<Throwable>> outcomes = new ArrayList<>(wave.size());
            for (int i : wave) {
                OutboxRow row = rows.get(i);
                Throwable stoppedBy = stopped.get(row.orderingKey());
                if (stoppedBy != null) {
                    failures[i] = stoppedBy;
                } else {
                    sent.add(i);
                    outcomes.add(send(target, row));
                }
            }
            for (int k = 0; k < sent.size(); k++) {
                int i = sent.get(k);
                Throwable failure = outcomes.get(k).join();
                failures[i] = failure;
                if (failure != null && !BatchOutcome.isPermanent(BatchOutcome.unwrap(failure))) {
                    stopped.put(rows.get(i).orderingKey(), failure);
                }
            }
        }
        return Arrays.asList(failures);
    }

    private static CompletableFuture<Throwable> send(Publisher target, OutboxRow row) {
        try {
            return target.publish(row.topic(), envelope(row)).toCompletableFuture().handle((result, e) -> e);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(e);
        }
    }

    private static EventEnvelope envelope(OutboxRow row) {
        try {
            return EnvelopeJson.envelope(row.attributes(), row.data());
        } catch (RuntimeException e) {
            throw new BatchOutcome.UnreadableRowException("its attributes make no event: " + e.getMessage(), e);
        }
    }

    private long backOff(String what, Throwable failure) {
        backoffMillis = backoffMillis == 0 ? MIN_BACKOFF_MILLIS : Math.min(MAX_BACKOFF_MILLIS, backoffMillis * 2);
        String error = failure.toString();
        if (!error.equals(lastError) || backoffMillis == MIN_BACKOFF_MILLIS) {
            LOG.warn("switchboard outbox relay {}: {} failed, retrying in {} ms (nothing unconfirmed is deleted): {}",
                    relayId, what, backoffMillis, error);
        }
        lastError = error;
        return backoffMillis;
    }

    private synchronized void pause(long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        long left = millis;
        while (!stopping && left > 0) {
            wait(left);
            left = deadline - System.currentTimeMillis();
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            connection = dataSource.getConnection();
            connection.setAutoCommit(true);
        }
        return connection;
    }

    private void closeConnection() {
        Connection open = connection;
        connection = null;
        if (open != null) {
            try {
                open.close();
            } catch (SQLException e) {
                LOG.debug("closing the relay's connection: {}", e.toString());
            }
        }
    }
}
