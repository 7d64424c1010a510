package dev.switchboard.spi;

import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A configuration key a provider understands, so that unknown keys fail at startup with a suggestion.
 *
 * @param name the full key, such as {@code switchboard.kafka.bootstrap-servers}; for a pass-through prefix
 *     it ends with a dot, such as {@code switchboard.kafka.producer.}
 * @param description what it sets and what values it takes, for error messages and the reference
 * @param secret whether its value must be redacted in every {@code toString} and log line
 * @param prefix whether keys that start with {@code name} are accepted (native pass-through)
 * @param nativeNames for a prefix key, the native names it accepts after {@code name}, so that a misspelt native
 *     key fails like any other; a name ending with a dot accepts every name under it (a client's open-ended
 *     families, such as Kafka's {@code metrics.context.}); empty accepts any name. Sorted.
 * @since 0.1
 */
public record ConfigKey(String name, String description, boolean secret, boolean prefix, Set<String> nativeNames) {
    public ConfigKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(nativeNames, "nativeNames");
        nativeNames = Collections.unmodifiableSortedSet(new TreeSet<>(nativeNames));
        if (!name.startsWith("switchboard.")) {
            throw new IllegalArgumentException("config key must start with \"switchboard.\", was \"" + name + "\"");
        }
        if (prefix != name.endsWith(".")) {
            throw new IllegalArgumentException("a prefix key ends with '.', a plain key does not, was \"" + name + "\"");
        }
        if (!prefix && !nativeNames.isEmpty()) {
            throw new IllegalArgumentException("only a prefix key takes native names, was \"" + name + "\"");
        }
    }

    public static ConfigKey of(String name, String description) {
        return new ConfigKey(name, description, false, false, Set.of());
    }

    public static ConfigKey secret(String name, String description) {
        return new ConfigKey(name, description, true, false, Set.of());
    }

    /** A prefix that accepts any native name after it. */
    public static ConfigKey prefix(String name, String description) {
        return prefix(name, description, Set.of());
    }

    /** A prefix that accepts only the given native names after it; see {@link #nativeNames()}. */
    public static ConfigKey prefix(String name, String description, Set<String> nativeNames) {
        return new ConfigKey(name, description, false, true, nativeNames);
    }

    /** The {@code names} that start with {@code nativePrefix}, without it: under {@code sasl.}, {@code sasl.mechanism} is {@code mechanism}. */
    public static Set<String> namesUnder(String nativePrefix, Set<String> names) {
        Set<String> under = new TreeSet<>();
        names.stream().filter(name -> name.startsWith(nativePrefix))
                .forEach(name -> under.add(name.substring(nativePrefix.length())));
        return under;
    }

    /** Whether {@code key} is this key, or one of the native keys this prefix accepts. */
    public boolean matches(String key) {
        if (!prefix) {
            return key.equals(name);
        }
        String nativeName = key.startsWith(name) ? key.substring(name.length()) : "";
        if (nativeName.isEmpty() || nativeName.endsWith(".")) {
            return false;
        }
        return nativeNames.isEmpty() || nativeNames.contains(nativeName)
                || nativeNames.stream().anyMatch(family -> family.endsWith(".") && nativeName.startsWith(family));
    }
}
