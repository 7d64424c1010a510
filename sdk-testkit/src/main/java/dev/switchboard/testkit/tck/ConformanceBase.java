package dev.switchboard.testkit.tck;

/**
 * What every conformance run has, whichever groups it runs: the provider's {@link ConformanceHarness}, which
 * each {@code @Nested} group of the run receives through a JUnit parameter resolver. {@link ConformanceSuite}
 * runs every group; extend this class directly only to run a few groups on a variant of a broker, declaring
 * them as {@code @Nested} inner classes without a body:
 *
 * <pre>{@code
 * class AwsFifoOrderingConformanceTest extends ConformanceBase {
 *     @Override
 *     protected ConformanceHarness harness() {
 *         return new FifoHarness();
 *     }
 *
 *     @Nested
 *     class Ordering extends OrderingTests {
 *     }
 * }
 * }</pre>
 *
 * @since 0.1
 */
public abstract class ConformanceBase {

    /** The provider's harness; called once per test, so it may return the same instance every time. */
    protected abstract ConformanceHarness harness();
}
