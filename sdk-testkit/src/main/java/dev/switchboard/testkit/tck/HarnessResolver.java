package dev.switchboard.testkit.tck;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Resolves a {@link ConformanceHarness} parameter from the {@link ConformanceBase} instance that encloses the
 * running test: the provider's suite, whose {@code @Nested} group instance is the test instance. This is how a
 * group gets its harness without a subclass per provider that forwards it.
 */
final class HarnessResolver implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == ConformanceHarness.class;
    }

    @Override
    public ConformanceHarness resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRequiredTestInstances().getAllInstances().stream()
                .filter(ConformanceBase.class::isInstance)
                .map(instance -> ((ConformanceBase) instance).harness())
                .findFirst()
                .orElseThrow(() -> new ParameterResolutionException(context.getRequiredTestClass().getName()
                        + " has no harness: run a TCK group @Nested in a ConformanceSuite (or ConformanceBase) subclass"));
    }
}
