package dev.switchboard.internal.receive;

import dev.switchboard.MessagingException;
import dev.switchboard.spi.InboundMessage;
import dev.switchboard.spi.ReceiverDriver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pollers of a subscription, {@link ReceiverDriver#maxConcurrentReceives()} threads: each takes free slots
 * of the in-flight window, receives at most that many messages, gives back the slots the receive did not fill,
 * and hands the batch on. A failed receive is tried again after a pause of 100 ms, doubling up to 5 s; a
 * successful one resets the pause. While the window stays full the pollers call {@link ReceiverDriver#keepAlive()}
 * once per poll timeout instead. Each outcome is recorded in the {@link ReceiveHealth}. Runs from {@link #start}
 * until the drain begins. Thread-safe.
 */
final class ReceiveLoop {
    private static final Logger log = LoggerFactory.getLogger(ReceiveLoop.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    /** How long a poller waits for a refill batch of slots before receiving with what it has. */
    private static final Duration REFILL_WAIT = Duration.ofMillis(10);

    private final ReceiveSettings settings;
    private final ReceiverDriver receiver;
    private final InFlight inFlight;
    private final Scheduler scheduler;
    private final Function<Throwable, MessagingException> classify;
    private final Consumer<List<? extends InboundMessage>> batches;
    private final ReceiveHealth health;
    private final List<Thread> pollers = new ArrayList<>();
    /** Serializes taking slots when several pollers receive at once. */
    private final Object slotLock = new Object();
    /** Slots worth a receive when the window is nearly full: a quarter of it. */
    private final int refillBatch;
    /** The most slots one poller takes, so that several pollers share the window. */
    private final int perPoller;

    /**
     * @param batches takes every received batch, on the poller's thread; each message holds one slot
     * @param classify explains a failed receive for the log
     */
    ReceiveLoop(ReceiveSettings settings, ReceiverDriver receiver, InFlight inFlight, Scheduler scheduler,
                Function<Throwable, MessagingException> classify, Consumer<List<? extends InboundMessage>> batches,
                ThreadFactory threads, ReceiveHealth health) {
        this.settings = settings;
        this.receiver = receiver;
        this.inFlight = inFlight;
        this.scheduler = scheduler;
        this.classify = classify;
        this.batches = batches;
        this.health = health;
        int count = Math.max(1, receiver.maxConcurrentReceives());
        for (int i = 0; i < count; i++) {
            pollers.add(threads.newThread(this::pollUntilDrained));
        }
        this.refillBatch = Math.max(1, settings.maxInFlight() / 4);
        this.perPoller = count == 1 ? Integer.MAX_VALUE : Math.max(1, settings.maxInFlight() / count);
    }

    void start() {
        pollers.forEach(Thread::start);
    }

    /** Interrupts the pollers (the drain has begun) and waits for them until {@code deadline}, in nanoTime. */
    void stop(long deadline) {
        pollers.forEach(Thread::interrupt);
        for (Thread poller : pollers) {
            if (poller == Thread.currentThread()) {
                continue;
            }
            try {
                TimeUnit.NANOSECONDS.timedJoin(poller, Math.max(1, deadline - System.nanoTime()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void pollUntilDrained() {
        try {
            poll();
        } catch (Throwable e) {
            health.died(e);
            log.error("{}/{}: a poller died; the subscription receives no more (health: FAILED)", settings.topic(),
                    settings.group(), e);
            throw e;
        }
    }

    private void poll() {
        Duration backoff = FIRST_BACKOFF;
        Duration preferred = receiver.preferredWait();
        Duration wait = preferred.compareTo(settings.pollTimeout()) > 0 ? preferred : settings.pollTimeout();
        while (!inFlight.isDraining()) {
            int taken = 0;
            try {
                taken = takeSlots();
                if (taken == 0) {
                    receiver.keepAlive(); // the window stayed full for a poll timeout
                    continue;
                }
                List<? extends InboundMessage> batch = receiver.receive(taken, wait);
                inFlight.window().release(taken - batch.size());
                taken = 0;
                health.succeeded();
                batches.accept(batch);
                backoff = FIRST_BACKOFF;
            } catch (InterruptedException e) {
                inFlight.window().release(taken);
                if (!inFlight.isDraining()) {
                    log.warn("{}/{}: receive interrupted while running; continuing", settings.topic(), settings.group());
                }
            } catch (RuntimeException e) {
                inFlight.window().release(taken);
                if (inFlight.isDraining()) {
                    break;
                }
                String cause = classify.apply(e).getMessage();
                health.failed(cause);
                log.warn("{}/{}: receive failed ({}), retrying in {} ms", settings.topic(), settings.group(), cause,
                        backoff.toMillis());
                try {
                    scheduler.pause(backoff);
                } catch (InterruptedException interrupted) {
                    continue;
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    /**
     * Slots for the next receive, 0 if none came free within the poll timeout. When most slots are taken (the
     * handlers are behind), waits up to {@link #REFILL_WAIT} for a refill batch instead of receiving one event per
     * freed slot: a receive costs a driver call, and the handlers still have most of the window queued meanwhile.
     */
    private int takeSlots() throws InterruptedException {
        InFlightWindow window = inFlight.window();
        synchronized (slotLock) {
            int taken = window.take(Math.min(refillBatch, perPoller), perPoller, REFILL_WAIT.toNanos(),
                    TimeUnit.NANOSECONDS);
            return taken > 0 ? taken
                    : window.take(1, perPoller, settings.pollTimeout().toNanos(), TimeUnit.NANOSECONDS);
        }
    }
}
