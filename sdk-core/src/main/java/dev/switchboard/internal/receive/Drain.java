package dev.switchboard.internal.receive;

import dev.switchboard.internal.Threads;
import dev.switchboard.spi.ReceiverDriver;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The graceful end of a subscription, within one timeout: stops receiving, pauses the receiver, gives back the
 * deliveries waiting for a local retry, waits for running handlers, gives back what is still unsettled, waits
 * for the ack calls still out, then stops the workers and closes the receiver. Idempotent: a second close
 * waits for the first. From a handler thread the drain runs in the background, since waiting there would wait
 * for itself. Thread-safe.
 */
final class Drain {
    private static final Logger log = LoggerFactory.getLogger(Drain.class);

    private final ReceiveSettings settings;
    private final ReceiveLoop loop;
    private final ReceiverDriver receiver;
    private final InFlight inFlight;
    private final Settlement settlement;
    private final Workers workers;
    private final Consumer<Boolean> onClosed;
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile boolean drained;

    /** @param onClosed told once the receiver is closed, with whether everything drained in time */
    Drain(ReceiveSettings settings, ReceiveLoop loop, ReceiverDriver receiver, InFlight inFlight, Settlement settlement,
          Workers workers, Consumer<Boolean> onClosed) {
        this.settings = settings;
        this.loop = loop;
        this.receiver = receiver;
        this.inFlight = inFlight;
        this.settlement = settlement;
        this.workers = workers;
        this.onClosed = onClosed;
    }

    /**
     * Drains and closes, waiting at most {@code timeout}.
     *
     * @return true if every delivery finished and its ack completed in time; false from a handler thread, where
     *     the drain goes on in the background
     */
    boolean close(Duration timeout) {
        if (!inFlight.startDraining()) {
            return awaitClosed(timeout) && drained;
        }
        if (workers.isWorkerThread()) {
            Threads.named("switchboard-close", true).newThread(() -> drain(timeout)).start();
            return false;
        }
        return drain(timeout);
    }

    private boolean drain(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            loop.stop(deadline);
            pauseQuietly();
            inFlight.forEach(settlement::cancelLocalRetry);
            boolean finished = inFlight.awaitDrained(inFlight::isEmpty, deadline);
            inFlight.forEach(settlement::giveBack);
            // an ack still out when the receiver closes may be lost, and its delivery redelivered for nothing
            boolean acked = inFlight.awaitDrained(settlement::acksCompleted, deadline);
            drained = finished && acked;
            workers.shutdownNow();
            receiver.close();
        } finally {
            try {
                onClosed.accept(drained); // before a close waiting on another thread returns: it finds it told
            } finally {
                closed.countDown();
            }
        }
        log.debug("{}/{}: closed, drained={}", settings.topic(), settings.group(), drained);
        return drained;
    }

    /** Whether the drain has ended and the receiver is closed. */
    boolean isClosed() {
        return closed.getCount() == 0;
    }

    private void pauseQuietly() {
        try {
            receiver.pause();
        } catch (RuntimeException e) {
            log.debug("{}/{}: pausing the receiver failed: {}", settings.topic(), settings.group(), e.toString());
        }
    }

    private boolean awaitClosed(Duration timeout) {
        try {
            return closed.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
