package dev.switchboard.testkit.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.Messaging;
import dev.switchboard.spi.Capability;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestClassOrder;

/**
 * What every conformance run has, whichever groups it runs: the provider's {@link ConformanceHarness}, which
 * each {@code @Nested} group of the run receives through a JUnit parameter resolver, and, first of all, the
 * check that the driver declares exactly the capabilities the harness expects. Capability-gated tests skip
 * where a capability is not declared; this check makes that declaration deliberate, so nothing is skipped
 * because a driver forgot (or lost) a capability.
 *
 * <p>{@link ConformanceSuite} runs every group; extend this class directly only to run a few groups on a
 * variant of a broker, declaring them as {@code @Nested} inner classes without a body:
 *
 * <pre>{@code
 * class AwsFifoOrderingConformanceTest extends ConformanceBase {
 *     @Override
 *     protected ConformanceHarness harness() {
 *         return new FifoHarness();
 *     }
 *
 *     @Nested
 *     class PerKeyOrdering extends OrderingTests {
 *     }
 * }
 * }</pre>
 *
 * <p>Why the capability check runs first: without a {@code ClassOrderer}, JUnit runs {@code @Nested} classes
 * in a deterministic but intentionally nonobvious order. This class declares
 * {@code @TestClassOrder(ClassOrderer.OrderAnnotation.class)}, which subclasses inherit and which overrides a
 * global {@code junit.jupiter.testclass.order.default}; {@link DeclaredCapabilities} has {@code @Order(1)}
 * and the groups have none, that is the default order {@code Integer.MAX_VALUE / 2}, so it runs before them.
 *
 * @since 0.1
 */
@TestClassOrder(ClassOrderer.OrderAnnotation.class)
public abstract class ConformanceBase {

    /** The provider's harness; called once per test, so it may return the same instance every time. */
    protected abstract ConformanceHarness harness();

    /** The first group: the driver declares exactly {@link ConformanceHarness#expectedCapabilities()}. */
    @Nested
    @Order(1)
    class DeclaredCapabilities extends TckSupport {

        @Test
        @Rule(id = "CA-01", check = "BrokerDriver.capabilities() for this configuration against the harness's"
                + " expectedCapabilities(); dropping a capability on purpose changes both")
        void driverDeclaresExactlyTheExpectedCapabilities() {
            Set<Capability> expected = sorted(harness().expectedCapabilities());
            Messaging messaging = open();

            Set<Capability> declared = sorted(messaging.capabilities());

            assertEquals(expected, declared, () -> messaging.brokerName() + ": missing " + minus(expected, declared)
                    + ", unexpected " + minus(declared, expected));
        }

        private static Set<Capability> sorted(Set<Capability> capabilities) {
            EnumSet<Capability> copy = EnumSet.noneOf(Capability.class);
            copy.addAll(capabilities);
            return copy;
        }

        private static Set<Capability> minus(Set<Capability> from, Set<Capability> taken) {
            Set<Capability> rest = sorted(from);
            rest.removeAll(taken);
            return rest;
        }
    }
}
