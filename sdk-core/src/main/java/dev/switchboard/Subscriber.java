package dev.switchboard;

import dev.switchboard.internal.receive.SubscriptionRuntime;
import java.time.Duration;

/**
 * A running subscription, returned by {@link Messaging#subscribe}. Thread-safe.
 *
 * <p>{@link #close(Duration)} drains gracefully: it stops fetching, lets in-flight handlers finish and
 * acknowledges them, gives back (nacks) whatever did not finish in time so that it is redelivered to the
 * group, then releases the broker receiver. Closing is idempotent and safe from any thread, a handler
 * included.
 *
 * @since 0.1
 */
public final class Subscriber implements AutoCloseable {
    private final SubscriptionRuntime runtime;

    Subscriber(SubscriptionRuntime runtime) {
        this.runtime = runtime;
    }

    public String topic() {
        return runtime.topic();
    }

    public String group() {
        return runtime.group();
    }

    /** True from subscribe until close starts. */
    public boolean isRunning() {
        return runtime.isRunning();
    }

    public SubscriberStats stats() {
        return runtime.stats();
    }

    /**
     * Drains and closes, waiting at most {@code timeout} for in-flight handlers.
     *
     * @return true if every in-flight delivery finished and was settled within the timeout
     */
    public boolean close(Duration timeout) {
        return runtime.close(timeout);
    }

    /** Drains and closes within {@code switchboard.shutdown.timeout}. */
    @Override
    public void close() {
        runtime.close(runtime.defaultShutdownTimeout());
    }

    @Override
    public String toString() {
        return "Subscriber{" + topic() + "/" + group() + ", running=" + isRunning() + "}";
    }
}
