package dev.switchboard.internal.publish;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where publishes to one topic wait while the topic is being provisioned, so that {@code publish()} never waits
 * for the broker: they queue here in publish order and are released together, in that order, once the topic is
 * ready; or they are handed back, to fail together, if provisioning failed. An open gate passes what it is
 * offered straight on, under its lock, so that a publish that found the gate just before it opened cannot
 * overtake one released by the opening. Thread-safe.
 *
 * @param <T> what waits
 */
final class ProvisioningGate<T> {
    private enum State { WAITING, OPEN, FAILED }

    private final List<T> waiting = new ArrayList<>();
    private State state = State.WAITING;
    private Consumer<List<T>> release;

    /** Queues {@code items}, or passes them on if the gate is open; false if it failed (look the topic up again). */
    synchronized boolean offer(List<T> items) {
        switch (state) {
            case WAITING -> waiting.addAll(items);
            case OPEN -> release.accept(items);
            case FAILED -> {
                return false;
            }
        }
        return true;
    }

    /** Releases what waits, in order and in one list, and everything offered from now on, to {@code release}. */
    synchronized void open(Consumer<List<T>> release) {
        this.release = release;
        state = State.OPEN;
        if (!waiting.isEmpty()) {
            release.accept(List.copyOf(waiting));
            waiting.clear();
        }
    }

    /** Takes nothing more; returns what waited, in order. */
    synchronized List<T> fail() {
        state = State.FAILED;
        List<T> failed = List.copyOf(waiting);
        waiting.clear();
        return failed;
    }
}
