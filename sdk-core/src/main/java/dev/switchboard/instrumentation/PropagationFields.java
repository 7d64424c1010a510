package dev.switchboard.instrumentation;

import java.util.Locale;

/**
 * How a trace propagator's fields travel inside an event: as CloudEvents extensions, whose names allow only
 * lower-case ASCII letters and digits. {@code traceparent}, {@code tracestate} and {@code baggage} travel as they
 * are; any other field lower-cased with everything but letters and digits dropped ({@code X-B3-TraceId} travels as
 * {@code xb3traceid}) and is read back under the same name. One mapping for every tracing module. Stateless.
 *
 * @since 0.2
 */
public final class PropagationFields {
    private PropagationFields() {
    }

    /** The extension name {@code field} travels as, or null if no letter or digit is left of it. */
    public static String extensionName(String field) {
        for (int i = 0; i < field.length(); i++) {
            if (!isNameChar(field.charAt(i))) {
                return normalized(field);
            }
        }
        return field.isEmpty() ? null : field;
    }

    private static String normalized(String field) {
        String lower = field.toLowerCase(Locale.ROOT);
        StringBuilder name = new StringBuilder(lower.length());
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            if (isNameChar(c)) {
                name.append(c);
            }
        }
        return name.length() == 0 ? null : name.toString();
    }

    private static boolean isNameChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }
}
