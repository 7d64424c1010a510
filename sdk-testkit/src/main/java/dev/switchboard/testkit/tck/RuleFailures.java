package dev.switchboard.testkit.tck;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * Reports a failing TCK test as a violation of its {@link Rule}: {@code [RT-01] <what failed>}, then the line
 * {@code if this fails, check: <hint>}, so that a Surefire report names the rule and where to look. The
 * original failure is the cause and lends its stack trace; skips (failed assumptions) pass unchanged.
 */
final class RuleFailures implements TestExecutionExceptionHandler {

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable thrown) throws Throwable {
        Rule rule = context.getRequiredTestMethod().getAnnotation(Rule.class);
        throw rule == null || thrown instanceof TestAbortedException ? thrown : violation(rule, thrown);
    }

    static AssertionFailedError violation(Rule rule, Throwable thrown) {
        String what = thrown instanceof AssertionError && thrown.getMessage() != null ? thrown.getMessage() : thrown.toString();
        AssertionFailedError violation = new AssertionFailedError("[" + rule.id() + "] " + what
                + "\n    if this fails, check: " + rule.check(), thrown);
        violation.setStackTrace(thrown.getStackTrace());
        return violation;
    }
}
