package dev.switchboard.testkit.tck;

import dev.switchboard.Messaging;
import dev.switchboard.spi.Capability;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * What a provider gives the {@link ConformanceSuite}: fresh connections to its broker, and the few things
 * only it knows (the capabilities it declares, an unreachable endpoint, how to restart the broker).
 *
 * @since 0.1
 */
public interface ConformanceHarness {
    /**
     * Opens a new {@link Messaging} on the broker under test, with {@code overrides} on top of the harness's
     * own properties (which select the provider and its endpoint). The suite closes it.
     */
    Messaging open(Map<String, String> overrides);

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

    /** Whether {@link #restartBroker()} works here; the fault tests skip with a reason when not. */
    default boolean canRestartBroker() {
        return false;
    }

    /** Why the broker cannot be restarted, for the skip message. */
    default String whyNoRestart() {
        return "the harness cannot restart this broker";
    }

    /** Stops the broker and starts it again, returning once it accepts connections. */
    default void restartBroker() {
        throw new UnsupportedOperationException(whyNoRestart());
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
