package dev.switchboard.testkit.tck;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

class RuleFailuresTest {

    @Test
    void aFailedAssertionIsReportedUnderItsRuleWithTheHint() throws Exception {
        AssertionFailedError failed = new AssertionFailedError("expected: <1> but was: <2>");

        AssertionFailedError reported = RuleFailures.violation(rule(), failed);

        assertThat(reported).hasMessage("[XX-01] expected: <1> but was: <2>\n    if this fails, check: the thing under test")
                .hasCause(failed);
        assertThat(reported.getStackTrace()).isEqualTo(failed.getStackTrace());
    }

    @Test
    void anUnexpectedExceptionIsReportedWithItsType() throws Exception {
        TimeoutException timedOut = new TimeoutException("took too long");

        AssertionFailedError reported = RuleFailures.violation(rule(), timedOut);

        assertThat(reported.getMessage()).startsWith("[XX-01] java.util.concurrent.TimeoutException: took too long\n");
        assertThat(reported).hasCause(timedOut);
    }

    @Rule(id = "XX-01", check = "the thing under test")
    private static Rule rule() throws NoSuchMethodException {
        return RuleFailuresTest.class.getDeclaredMethod("rule").getAnnotation(Rule.class);
    }
}
