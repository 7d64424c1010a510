package dev.switchboard.testkit.tck;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The rule of the contract a TCK test checks: a stable id, listed with its contract clause in
 * {@code sdk-testkit/TCK.md}, and where a driver author should look first when the test fails.
 * {@link RuleFailures} puts both in front of the test's failure message.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@interface Rule {
    /** {@code <group>-<nn>}, such as {@code RT-01}; never reused for another rule. */
    String id();

    /** One line completing "if this fails, check …". */
    String check();
}
