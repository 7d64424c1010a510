package dev.switchboard.testkit.tck;

import org.junit.jupiter.api.Nested;

/**
 * The conformance suite (TCK): the delivery contract of Switchboard as JUnit 5 tests that every broker
 * provider runs, the in-memory broker first. A provider passes when its {@code Messaging} behaves like every
 * other provider's: same envelope round trip, groups, acknowledgement, retries and dead letters, ordering,
 * drain on close, typed errors and deduplication.
 *
 * <p>An adapter subclasses it in its tests and hands it a {@link ConformanceHarness}, which opens connections
 * to its broker (an external endpoint or a container):
 *
 * <pre>{@code
 * class KafkaConformanceTest extends ConformanceSuite {
 *     @Override
 *     protected ConformanceHarness harness() {
 *         return new ConformanceHarness() {
 *             public Map<String, String> properties() {
 *                 return Map.of("switchboard.broker", "kafka",
 *                         "switchboard.kafka.bootstrap-servers", BrokerFixture.endpoint(Broker.KAFKA));
 *             }
 *
 *             public Set<Capability> expectedCapabilities() {
 *                 return EnumSet.of(Capability.ORDERING_BY_KEY, Capability.DEAD_LETTER_REPLAY);
 *             }
 *
 *             public Map<String, String> unreachable(Duration timeout) {
 *                 return Map.of("switchboard.kafka.bootstrap-servers", "localhost:1",
 *                         "switchboard.connect-timeout", timeout.toMillis() + "ms");
 *             }
 *         };
 *     }
 * }
 * }</pre>
 *
 * <p>The tests come in {@code @Nested} groups, one per part of the contract, each an abstract class of this
 * package ({@link RoundTripTests}, {@link GroupTests}, {@link AckAndRedeliveryTests},
 * {@link RetryAndDeadLetterTests}, {@link OrderingTests}, {@link LifecycleTests}, {@link ErrorTests},
 * {@link DeduplicationTests}, {@link FaultTests}, {@link ObservabilityTests}). The nested classes below have no
 * body: each group gets the harness injected by a JUnit parameter resolver, from the enclosing suite instance
 * (see {@link ConformanceBase}). Every test uses its own topics and groups, so a broker may be shared by the
 * whole run; everything a test opens is closed after it.
 *
 * <p>Required behaviour is tested on every provider and never skipped. Optional behaviour is gated on the
 * provider's declared {@link dev.switchboard.spi.Capability capabilities}: where one is not declared its
 * tests are reported as skipped with the reason ({@code "<provider> does not declare ORDERING_BY_KEY"}).
 * The first test checks that declaration against {@link ConformanceHarness#expectedCapabilities()}, so a
 * capability cannot be skipped by omission.
 * The fault tests run only where {@link ConformanceHarness#canRestartBroker()} is true and otherwise skip
 * with {@link ConformanceHarness#whyNoRestart()}.
 *
 * <p>Each test checks one rule of the contract and has a rule id ({@code RT-01}, {@code GR-02}, …) with a
 * one-line hint; a failure is reported as {@code [RT-01] <what failed>} followed by
 * {@code if this fails, check: <hint>}. {@code sdk-testkit/TCK.md} lists every rule id with its test, the
 * contract clause it checks and the hint.
 *
 * @since 0.1
 */
public abstract class ConformanceSuite extends ConformanceBase {

    @Nested
    class RoundTrip extends RoundTripTests {
    }

    @Nested
    class Groups extends GroupTests {
    }

    @Nested
    class AckAndRedelivery extends AckAndRedeliveryTests {
    }

    @Nested
    class RetryAndDeadLetter extends RetryAndDeadLetterTests {
    }

    @Nested
    class PerKeyOrdering extends OrderingTests {
    }

    @Nested
    class Lifecycle extends LifecycleTests {
    }

    @Nested
    class Errors extends ErrorTests {
    }

    @Nested
    class Deduplication extends DeduplicationTests {
    }

    @Nested
    class Faults extends FaultTests {
    }

    @Nested
    class Observability extends ObservabilityTests {
    }
}
