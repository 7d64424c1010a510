package dev.switchboard;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the CloudEvents {@code type} of a payload class. Without it the type is the class's fully
 * qualified name.
 *
 * <pre>{@code
 * @EventType("com.shop.order.placed")
 * public record OrderPlaced(String orderId, long amountCents) {}
 * }</pre>
 *
 * @since 0.1
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface EventType {
    String value();
}
