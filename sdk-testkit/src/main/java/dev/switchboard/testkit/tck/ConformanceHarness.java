package dev.switchboard.testkit.tck;

import dev.switchboard.Messaging;
import dev.switchboard.instrumentation.Instrumentation;
import dev.switchboard.spi.Capability;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * What a provider gives the {@link ConformanceSuite}: fresh connections to its broker, and the few things
 * only it knows (the capabilities it declares, an unreachable endpoint, how to interrupt and restart the broker).
 *
 * @since 0.1
 */
public interface ConformanceHarness {
    /**
     * The properties that select the provider and point it at the broker under test (endpoint, credentials,
     * whatever this harness's configuration needs).
     */
    Map<String, String> properties();

    /**
     * Opens a new {@link Messaging} on the broker under test, with {@code overrides} on top of
     * {@link #properties()}, and {@code observers} registered. The suite closes it.
     */
    default Messaging open(Map<String, String> overrides, Instrumentation... observers) {
        Messaging.Builder builder = Messaging.builder().properties(properties()).properties(overrides);
        for (Instrumentation observer : observers) {
            builder.instrumentation(observer);
        }
        return builder.build();
    }

    /**
     * The capabilities the driver must declare as {@link #open} configures it: exactly these, or the suite's
     * first test fails. Tests gated on a capability skip where it is not declared, so this list is what keeps
     * a capability from being skipped by omission.
     */
    Set<Capability> expectedCapabilities();

    /**
     * Properties that point this provider at a broker that does not answer, with
     * {@code switchboard.connect-timeout} set to {@code timeout}.
     */
    Map<String, String> unreachable(Duration timeout);

    /**
     * Whether {@link #interruptBroker()} and {@link #resumeBroker()} work here: the broker can be made to stop
     * answering (stopped, or frozen) until resumed, with what it holds kept. Default false.
     */
    default boolean canInterruptBroker() {
        return false;
    }

    /** Why the broker cannot be interrupted, for a skip message. */
    default String whyNoInterrupt() {
        return "the harness cannot interrupt this broker";
    }

    /**
     * Makes the broker stop answering until {@link #resumeBroker()}: clients see it down (connections refused or
     * unanswered), and what it holds survives. Returns once it no longer answers. Callers resume in a finally block:
     * other test runs may share the broker.
     */
    default void interruptBroker() {
        throw new UnsupportedOperationException(whyNoInterrupt());
    }

    /** Ends {@link #interruptBroker()}, returning once the broker accepts connections again. */
    default void resumeBroker() {
        throw new UnsupportedOperationException(whyNoInterrupt());
    }

    /**
     * Whether {@link #restartBroker()} works here; the fault tests skip with a reason when not. Default: where the
     * broker can be interrupted, a restart being an interruption and a resume; a harness whose interruption is not a
     * restart (a frozen process) says false.
     */
    default boolean canRestartBroker() {
        return canInterruptBroker();
    }

    /** Why the broker cannot be restarted, for the skip message. Default: why it cannot be interrupted. */
    default String whyNoRestart() {
        return whyNoInterrupt();
    }

    /**
     * Stops the broker and starts it again, returning once it accepts connections. Default:
     * {@link #interruptBroker()}, then {@link #resumeBroker()}, which runs even if the interruption failed.
     */
    default void restartBroker() {
        if (!canRestartBroker()) {
            throw new UnsupportedOperationException(whyNoRestart());
        }
        try {
            interruptBroker();
        } finally {
            resumeBroker();
        }
    }

    /**
     * How long the suite waits for something that should happen; raise it for slow brokers. Negative
     * checks ("nothing else arrives") wait {@link #quietPeriod()}.
     */
    default Duration timeout() {
        return Duration.ofSeconds(30);
    }

    /**
     * Removes what a test left on the broker, after the test: its topics and, for every pair, the groups
     * (queues, subscriptions) and their dead-letter destinations. Brokers that keep every queue in memory or
     * on disk (RabbitMQ's quorum queues) should not accumulate hundreds of them over test runs. Default:
     * nothing.
     */
    default void cleanUp(Set<String> topics, Set<String> groups) {
    }

    /** How long the suite watches for something that must not happen. */
    default Duration quietPeriod() {
        return Duration.ofSeconds(1);
    }
}
