package dev.switchboard;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The resolved {@code switchboard.*} configuration: one value per key, with where it came from, and typed
 * accessors that fail with a {@link ConfigurationException} naming the key and what was expected.
 *
 * <p>{@link Messaging#fromConfig()} resolves it from, highest first: explicit properties, JVM system
 * properties, environment variables ({@code SWITCHBOARD_KAFKA_BOOTSTRAP_SERVERS} binds to
 * {@code switchboard.kafka.bootstrap-servers}, relaxed as in Spring Boot), and {@code switchboard.properties}
 * on the classpath. Values of secret keys (declared secret, or named like one: see {@link #isSecretName}) and
 * the password part of any URI are redacted in {@link #toString()} and in every error message; adapters print
 * native properties through {@link #redact}. Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class SwitchboardConfig {
    private static final Pattern SECRET_NAME = Pattern.compile("(?i)(.*(password|passwd|passphrase|secret|token"
            + "|credential|jaas|private[-._]?key|api[-._]?key|access[-._]?key|certificate|sasl[-._].*config).*"
            + "|.*[-._]key)");
    private static final Pattern URI_USER_INFO = Pattern.compile("(://[^/@:]*):[^/]*@");
    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+)\\s*(ns|us|ms|s|m|h|d)?");
    /** What is shown in place of a secret value. */
    public static final String REDACTED = "******";

    private final Map<String, String> values;
    private final Map<String, String> origins;
    private final Set<String> declaredSecrets;

    /**
     * A configuration of exactly these values, without validation of key names; for tests and for drivers
     * used on their own.
     */
    public static SwitchboardConfig of(Map<String, String> values) {
        Map<String, String> origins = new TreeMap<>();
        values.keySet().forEach(k -> origins.put(k, "explicit properties"));
        return new SwitchboardConfig(values, origins, Set.of());
    }

    /**
     * Used by the resolver.
     *
     * @param values the resolved values
     * @param origins for each key, a description of its source, such as {@code environment variable X}
     * @param declaredSecrets keys declared secret by their {@code ConfigKey}, redacted whatever their name
     */
    public SwitchboardConfig(Map<String, String> values, Map<String, String> origins, Set<String> declaredSecrets) {
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
        this.origins = Map.copyOf(origins);
        this.declaredSecrets = Set.copyOf(declaredSecrets);
    }

    public Optional<String> string(String key) {
        return Optional.ofNullable(values.get(key));
    }

    public String string(String key, String defaultValue) {
        return values.getOrDefault(key, defaultValue);
    }

    /**
     * The value of a key that must be set.
     *
     * @throws ConfigurationException naming the key and {@code expected} when it is missing or blank
     */
    public String require(String key, String expected) {
        String value = values.get(key);
        if (value == null || value.isBlank()) {
            throw new ConfigurationException(key, key + " is required: expected " + expected);
        }
        return value;
    }

    public int integer(String key, int defaultValue) {
        String raw = values.get(key);
        if (raw == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw malformed(key, "an integer");
        }
    }

    /** An integer that must be at least {@code min}. */
    public int integer(String key, int defaultValue, int min) {
        int value = integer(key, defaultValue);
        if (value < min) {
            throw new ConfigurationException(key, key + " must be >= " + min + ", was "
                    + (isSecret(key) ? REDACTED : String.valueOf(value)) + origin(key));
        }
        return value;
    }

    public double decimal(String key, double defaultValue) {
        String raw = values.get(key);
        if (raw == null) {
            return defaultValue;
        }
        try {
            return Double.parseDouble(raw.trim());
        } catch (NumberFormatException e) {
            throw malformed(key, "a decimal number");
        }
    }

    public boolean bool(String key, boolean defaultValue) {
        String raw = values.get(key);
        if (raw == null) {
            return defaultValue;
        }
        return switch (raw.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw malformed(key, "true or false");
        };
    }

    /** A duration: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, ISO-8601 {@code PT30S}, or milliseconds. */
    public Duration duration(String key, Duration defaultValue) {
        String raw = values.get(key);
        if (raw == null) {
            return defaultValue;
        }
        Duration parsed = parseDuration(raw.trim());
        if (parsed == null || parsed.isNegative()) {
            throw malformed(key, "a non-negative duration such as 500ms, 30s, 5m or PT30S");
        }
        return parsed;
    }

    /** An enum constant, matched case-insensitively with {@code -} as {@code _}. */
    public <E extends Enum<E>> E enumValue(String key, Class<E> type, E defaultValue) {
        String raw = values.get(key);
        if (raw == null) {
            return defaultValue;
        }
        String wanted = raw.trim().replace('-', '_').toUpperCase(Locale.ROOT);
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(wanted)) {
                return constant;
            }
        }
        StringBuilder allowed = new StringBuilder();
        for (E constant : type.getEnumConstants()) {
            allowed.append(allowed.length() == 0 ? "" : ", ").append(constant.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        throw malformed(key, "one of " + allowed);
    }

    /** Every key under {@code prefix} (which ends with a dot), with the prefix removed; for native pass-through. */
    public Map<String, String> subtree(String prefix) {
        Map<String, String> result = new TreeMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith(prefix) && k.length() > prefix.length()) {
                result.put(k.substring(prefix.length()), v);
            }
        });
        return result;
    }

    /** Every key and value, secrets included; never log this map, log the config itself. */
    public Map<String, String> asMap() {
        return values;
    }

    /** Where {@code key} was set, such as {@code system properties}, or empty when it is not set. */
    public Optional<String> originOf(String key) {
        return Optional.ofNullable(origins.get(key));
    }

    /** Whether the value of {@code key} must never be shown. */
    public boolean isSecret(String key) {
        return declaredSecrets.contains(key) || isSecretName(key);
    }

    /**
     * Whether a key name looks like it holds a secret: it contains password, passwd, passphrase, secret, token,
     * credential, jaas, private key, API key, access key or certificate (inline PEM, which Kafka hides too), is a
     * {@code sasl.…config}, or ends with {@code key} as a word ({@code ssl.keystore.key}). Applies to full keys
     * and to native property names alike.
     */
    public static boolean isSecretName(String key) {
        return SECRET_NAME.matcher(key).matches();
    }

    /** The value as it may be shown: redacted for secrets, with any URI password masked otherwise. */
    public String display(String key) {
        String value = values.get(key);
        if (value == null) {
            return null;
        }
        return declaredSecrets.contains(key) ? REDACTED : redact(key, value);
    }

    /**
     * A value as it may be shown under a name that no configuration declares, such as a native client property:
     * {@link #REDACTED} if the name looks like a secret's, else the value with any URI password masked.
     */
    public static String redact(String name, String value) {
        return isSecretName(name) ? REDACTED : maskUriPassword(value);
    }

    /** Native properties as they may be shown: sorted by name, each value as {@link #redact(String, String)} shows it. */
    public static Map<String, String> redact(Map<String, String> properties) {
        Map<String, String> shown = new TreeMap<>();
        properties.forEach((name, value) -> shown.put(name, redact(name, value)));
        return shown;
    }

    /** Masks the password in a URI such as {@code amqp://user:pass@host}. */
    public static String maskUriPassword(String value) {
        Matcher m = URI_USER_INFO.matcher(value);
        return m.find() ? m.replaceAll("$1:" + REDACTED + "@") : value;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("SwitchboardConfig{");
        boolean first = true;
        for (String key : values.keySet()) {
            sb.append(first ? "" : ", ").append(key).append('=').append(display(key));
            first = false;
        }
        return sb.append('}').toString();
    }

    private String origin(String key) {
        String origin = origins.get(key);
        return origin == null ? "" : " (from " + origin + ")";
    }

    private ConfigurationException malformed(String key, String expected) {
        String shown = isSecret(key) ? REDACTED : "\"" + maskUriPassword(values.get(key)) + "\"";
        return new ConfigurationException(key, key + " must be " + expected + ", was " + shown + origin(key));
    }

    static Duration parseDuration(String raw) {
        Objects.requireNonNull(raw);
        if (raw.startsWith("P") || raw.startsWith("p") || raw.startsWith("-P")) {
            try {
                return Duration.parse(raw.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        Matcher m = SIMPLE_DURATION.matcher(raw);
        if (!m.matches()) {
            return null;
        }
        long amount;
        try {
            amount = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            return null;
        }
        String unit = m.group(2) == null ? "ms" : m.group(2);
        try {
            return switch (unit) {
                case "ns" -> Duration.ofNanos(amount);
                case "us" -> Duration.ofNanos(Math.multiplyExact(amount, 1000L));
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        } catch (ArithmeticException e) {
            return null;
        }
    }
}
