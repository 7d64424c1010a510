package dev.switchboard.internal.receive;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * What a subscription holds: the {@link InFlightWindow} of slots its deliveries take, the deliveries not yet
 * settled, and whether a drain has begun. The receive loop takes slots, dispatch admits deliveries, settlement
 * settles them (giving their slot back), and the drain waits here until they are all settled. Thread-safe.
 */
final class InFlight {
    private final InFlightWindow window;
    private final Set<InFlightDelivery> unsettled = ConcurrentHashMap.newKeySet();
    private final Object drainMonitor = new Object();
    private final AtomicBoolean draining = new AtomicBoolean();

    InFlight(int maxInFlight) {
        this.window = new InFlightWindow(maxInFlight);
    }

    /** The slots: the receive loop takes them before receiving and gives back what a receive did not fill. */
    InFlightWindow window() {
        return window;
    }

    /** {@code d}, which holds a slot taken by the receive loop, is in flight until {@link #settled}. */
    void admit(InFlightDelivery d) {
        unsettled.add(d);
    }

    /** {@code d} is settled: its slot goes back to the window. Called once per delivery. */
    void settled(InFlightDelivery d) {
        unsettled.remove(d);
        window.release(1);
        wakeDrain();
    }

    int size() {
        return unsettled.size();
    }

    boolean isEmpty() {
        return unsettled.isEmpty();
    }

    void forEach(Consumer<InFlightDelivery> action) {
        unsettled.forEach(action);
    }

    boolean isDraining() {
        return draining.get();
    }

    /** Marks the drain begun; true for the first caller only. */
    boolean startDraining() {
        return draining.compareAndSet(false, true);
    }

    /** Wakes a drain waiting in {@link #awaitDrained}; call whenever what its condition reads has changed. */
    void wakeDrain() {
        if (draining.get()) {
            synchronized (drainMonitor) {
                drainMonitor.notifyAll();
            }
        }
    }

    /**
     * Waits until {@code condition} holds or {@code deadline} ({@link System#nanoTime()}) passes; the condition
     * is checked whenever {@link #wakeDrain} is called.
     *
     * @return the condition at the end
     */
    boolean awaitDrained(BooleanSupplier condition, long deadline) {
        synchronized (drainMonitor) {
            long remaining;
            while (!condition.getAsBoolean() && (remaining = deadline - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(drainMonitor, remaining);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            return condition.getAsBoolean();
        }
    }
}
