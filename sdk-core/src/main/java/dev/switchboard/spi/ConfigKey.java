package dev.switchboard.spi;

import java.util.Objects;

/**
 * A configuration key a provider understands, so that unknown keys fail at startup with a suggestion.
 *
 * @param name the full key, such as {@code switchboard.kafka.bootstrap-servers}; for a pass-through prefix
 *     it ends with a dot, such as {@code switchboard.kafka.producer.}
 * @param description what it sets and what values it takes, for error messages and the reference
 * @param secret whether its value must be redacted in every {@code toString} and log line
 * @param prefix whether every key that starts with {@code name} is accepted (native pass-through)
 * @since 0.1
 */
public record ConfigKey(String name, String description, boolean secret, boolean prefix) {
    public ConfigKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        if (!name.startsWith("switchboard.")) {
            throw new IllegalArgumentException("config key must start with \"switchboard.\", was \"" + name + "\"");
        }
        if (prefix != name.endsWith(".")) {
            throw new IllegalArgumentException("a prefix key ends with '.', a plain key does not, was \"" + name + "\"");
        }
    }

    public static ConfigKey of(String name, String description) {
        return new ConfigKey(name, description, false, false);
    }

    public static ConfigKey secret(String name, String description) {
        return new ConfigKey(name, description, true, false);
    }

    public static ConfigKey prefix(String name, String description) {
        return new ConfigKey(name, description, false, true);
    }

    /** Whether {@code key} is this key, or falls under this prefix. */
    public boolean matches(String key) {
        return prefix ? key.startsWith(name) && key.length() > name.length() : key.equals(name);
    }
}
