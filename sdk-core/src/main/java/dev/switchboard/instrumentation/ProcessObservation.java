package dev.switchboard.instrumentation;

/**
 * One handler call and the outcome of its delivery. {@link #makeCurrent()} and {@link #handlerEnded} are called
 * on the handler's thread; {@link #settled} once, possibly on another thread (a dead letter is settled when its
 * write is confirmed). A handler call whose payload cannot be decoded ends with {@code settled} alone.
 *
 * @since 0.2
 */
public interface ProcessObservation {
    /** Observes nothing. */
    ProcessObservation NONE = new ProcessObservation() {
    };

    /**
     * Makes this observation's context current on the handler's thread (a trace context, say) for the handler
     * call; the runtime closes the scope on the same thread when the handler returns.
     */
    default Scope makeCurrent() {
        return Scope.NOOP;
    }

    /** The handler returned ({@code failure} null) or threw {@code failure}. */
    default void handlerEnded(Throwable failure) {
    }

    /** The delivery's outcome for this handler call: acked, retry scheduled, dead-lettered or given back. */
    default void settled(Outcome outcome) {
    }

    /** A context made current on a thread; closed on that thread. */
    @FunctionalInterface
    interface Scope extends AutoCloseable {
        /** A scope that changed nothing. */
        Scope NOOP = () -> { };

        @Override
        void close();
    }
}
