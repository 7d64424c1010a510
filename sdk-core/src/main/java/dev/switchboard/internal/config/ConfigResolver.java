package dev.switchboard.internal.config;

import dev.switchboard.ConfigurationException;
import dev.switchboard.SwitchboardConfig;
import dev.switchboard.spi.ConfigKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merges the {@code switchboard.*} configuration sources into one {@link SwitchboardConfig}: explicit
 * properties, then system properties, then {@code SWITCHBOARD_*} environment variables (bound relaxed, as in
 * Spring Boot), then {@code switchboard.properties} on the classpath. Every key is validated against the known
 * {@link ConfigKey}s, a native pass-through key against the names its prefix accepts, so that a misspelling
 * fails at startup with the nearest valid key; keys of a broker whose provider is absent are dropped. Error
 * messages name keys and their source, never values. Stateless and thread-safe.
 */
public final class ConfigResolver {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigResolver.class);
    private static final String ROOT = "switchboard.";
    private static final String ENV_ROOT = "SWITCHBOARD_";
    private static final Pattern KEY_CHARS = Pattern.compile("[A-Za-z0-9._-]+");
    private static final int MAX_NAMESPACES_LISTED = 8;

    private ConfigResolver() {
    }

    /**
     * Resolves the configuration.
     *
     * @param absentNamespaces broker namespaces, such as {@code kafka}, whose provider is not on the classpath
     * @throws ConfigurationException on a malformed, misplaced or unknown key
     */
    public static SwitchboardConfig resolve(Map<String, String> explicit, Map<String, String> systemProperties,
                                            Map<String, String> environment, Map<String, String> classpathFile,
                                            List<ConfigKey> knownKeys, Set<String> absentNamespaces) {
        Map<String, String> values = new TreeMap<>();
        Map<String, String> origins = new TreeMap<>();
        // Lowest precedence first, so that each higher source overwrites.
        addProperties(classpathFile, "classpath switchboard.properties", true, knownKeys, absentNamespaces, values, origins);
        addEnvironment(environment, knownKeys, absentNamespaces, values, origins);
        addProperties(systemProperties, "system properties", false, knownKeys, absentNamespaces, values, origins);
        addProperties(explicit, "explicit properties", true, knownKeys, absentNamespaces, values, origins);
        Set<String> declaredSecrets = values.keySet().stream()
                .filter(k -> knownKeys.stream().anyMatch(known -> known.secret() && known.matches(k)))
                .collect(Collectors.toSet());
        return new SwitchboardConfig(values, origins, declaredSecrets);
    }

    /**
     * Reads a properties file from the classpath (context class loader, then this class's), as UTF-8.
     *
     * @return its entries, or an empty map when there is no such resource
     * @throws ConfigurationException when it exists but cannot be read
     */
    public static Map<String, String> classpathProperties(String resourceName) {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        InputStream in = context == null ? null : context.getResourceAsStream(resourceName);
        if (in == null) {
            in = ConfigResolver.class.getClassLoader().getResourceAsStream(resourceName);
        }
        if (in == null) {
            return Map.of();
        }
        Properties properties = new Properties();
        try (InputStreamReader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigurationException(resourceName,
                    "cannot read classpath resource " + resourceName + ": " + e.getMessage());
        }
        Map<String, String> result = new TreeMap<>();
        properties.stringPropertyNames().forEach(k -> result.put(k, properties.getProperty(k)));
        return result;
    }

    private static void addProperties(Map<String, String> source, String origin, boolean strict, List<ConfigKey> known,
                                      Set<String> absent, Map<String, String> values, Map<String, String> origins) {
        for (Map.Entry<String, String> e : Objects.requireNonNull(source, origin).entrySet()) {
            String key = e.getKey();
            if (!key.startsWith(ROOT)) {
                // System properties are shared with the JVM and other libraries; elsewhere it is a mistake.
                if (strict) {
                    throw new ConfigurationException(key, "configuration key '" + key + "' (from " + origin
                            + ") must start with '" + ROOT + "'");
                }
                continue;
            }
            requireWellFormed(key, origin);
            if (e.getValue() != null && accept(key, origin, null, known, absent)) {
                values.put(key, e.getValue());
                origins.put(key, origin);
            }
        }
    }

    private static void addEnvironment(Map<String, String> environment, List<ConfigKey> known, Set<String> absent,
                                       Map<String, String> values, Map<String, String> origins) {
        // Sorted, so that when two variables bind to one key the same one wins on every run.
        for (Map.Entry<String, String> e : new TreeMap<>(Objects.requireNonNull(environment, "environment")).entrySet()) {
            String variable = e.getKey();
            if (!variable.startsWith(ENV_ROOT)) {
                continue;
            }
            String origin = "environment variable " + variable;
            String key = bind(variable, known);
            requireWellFormed(key, origin);
            if (e.getValue() != null && accept(key, origin, variable, known, absent)) {
                values.put(key, e.getValue());
                origins.put(key, origin);
            }
        }
    }

    /** The key an environment variable sets: a plain key, else a prefix key's native key, else a dotted guess. */
    private static String bind(String variable, List<ConfigKey> known) {
        String normalised = normalise(variable);
        for (ConfigKey key : known) {
            if (!key.prefix() && normalise(key.name()).equals(normalised)) {
                return key.name();
            }
        }
        String[] segments = variable.toLowerCase(Locale.ROOT).split("_", -1);
        String best = null;
        int bestLength = -1;
        for (ConfigKey key : known) {
            String nativeKey = key.prefix() ? nativeKey(segments, normalise(key.name())) : null;
            // The longest prefix is the most specific, e.g. kafka.producer.ssl. over kafka.producer.
            if (nativeKey != null && key.name().length() > bestLength) {
                best = key.name() + nativeKey;
                bestLength = key.name().length();
            }
        }
        return best != null ? best : ROOT + variable.substring(ENV_ROOT.length()).toLowerCase(Locale.ROOT).replace('_', '.');
    }

    private static String nativeKey(String[] segments, String normalisedPrefix) {
        StringBuilder consumed = new StringBuilder();
        int i = 0;
        while (i < segments.length && !consumed.toString().equals(normalisedPrefix)
                && normalisedPrefix.startsWith(consumed + segments[i])) {
            consumed.append(segments[i++]);
        }
        if (!consumed.toString().equals(normalisedPrefix) || i == segments.length) {
            return null;
        }
        return String.join(".", Arrays.copyOfRange(segments, i, segments.length));
    }

    private static String normalise(String name) {
        return name.toLowerCase(Locale.ROOT).replace(".", "").replace("-", "").replace("_", "");
    }

    private static void requireWellFormed(String key, String origin) {
        boolean emptySegment = Arrays.stream(key.split("\\.", -1)).anyMatch(String::isEmpty);
        if (emptySegment || !KEY_CHARS.matcher(key).matches()) {
            throw new ConfigurationException(key, "malformed configuration key '" + key + "' (from " + origin
                    + "): expected dot-separated, non-empty segments of letters, digits, '-' and '_'");
        }
    }

    /** Whether to keep the key: true when known, false when its broker is absent; fails otherwise. */
    private static boolean accept(String key, String origin, String variable, List<ConfigKey> known, Set<String> absent) {
        if (known.stream().anyMatch(k -> k.matches(key))) {
            return true;
        }
        String namespace = key.substring(ROOT.length()).split("\\.", 2)[0];
        if (absent.contains(namespace)) {
            LOG.debug("Ignoring {} (from {}): no provider for '{}' on the classpath", key, origin, namespace);
            return false;
        }
        throw new ConfigurationException(key, "unknown configuration key '" + key + "' (from " + origin + "); "
                + hint(key, variable, known));
    }

    private static String hint(String key, String variable, List<ConfigKey> known) {
        String nearest = null;
        int nearestDistance = Integer.MAX_VALUE;
        for (ConfigKey candidate : known) {
            for (String spelling : spellings(candidate)) {
                int distance = distance(key, spelling, variable != null);
                if (distance < nearestDistance) {
                    nearest = spelling;
                    nearestDistance = distance;
                }
            }
        }
        if (nearest == null) {
            return known.stream()
                    .filter(k -> k.prefix() && key.startsWith(k.name()))
                    .max(Comparator.comparingInt(k -> k.name().length()))
                    .map(k -> k.name() + "<native key> takes only names its client knows: " + k.description())
                    .orElseGet(() -> "valid keys start with: " + namespaces(known));
        }
        boolean open = nearest.endsWith(".");
        String suggestion = "did you mean '" + nearest + (open ? "<native key>" : "") + "'";
        if (variable != null) {
            String env = nearest.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
            suggestion += " (" + env + (open ? "<NATIVE_KEY>" : "") + ")";
        }
        return suggestion + "?";
    }

    /** The keys a known key stands for: its name, or for a prefix that checks native names, each key under it. */
    private static List<String> spellings(ConfigKey key) {
        return key.nativeNames().isEmpty() ? List.of(key.name())
                : key.nativeNames().stream().map(nativeName -> key.name() + nativeName).toList();
    }

    /**
     * Edits from the key to a spelling, or {@link Integer#MAX_VALUE} when it is not near; an open spelling (ending
     * with a dot) is compared with the key's own dotted prefixes.
     */
    private static int distance(String key, String spelling, boolean fromEnvironment) {
        // An environment variable cannot spell '-', so a guessed key has '.' where the real one has '-'.
        String name = fromEnvironment ? spelling.replace('-', '.') : spelling;
        if (!name.endsWith(".")) {
            return near(key, name);
        }
        int best = Integer.MAX_VALUE;
        String dotted = key + ".";
        for (int i = dotted.indexOf('.'); i >= 0; i = dotted.indexOf('.', i + 1)) {
            best = Math.min(best, near(dotted.substring(0, i + 1), name));
        }
        return best;
    }

    /**
     * The edit distance if it is at most a third (and at least 3) of what differs after the common start, else
     * {@link Integer#MAX_VALUE}: keys that share a long start, as every native key under one prefix does, are not
     * near by that alone.
     */
    private static int near(String a, String b) {
        int common = 0;
        while (common < Math.min(a.length(), b.length()) && a.charAt(common) == b.charAt(common)) {
            common++;
        }
        int distance = levenshtein(a, b);
        return distance <= Math.max(3, (Math.max(a.length(), b.length()) - common) / 3) ? distance : Integer.MAX_VALUE;
    }

    private static int levenshtein(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        Arrays.setAll(previous, j -> j);
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static String namespaces(List<ConfigKey> known) {
        Set<String> namespaces = new TreeSet<>();
        for (ConfigKey key : known) {
            String rest = key.name().substring(ROOT.length());
            int dot = rest.indexOf('.');
            namespaces.add(ROOT + (dot < 0 ? rest : rest.substring(0, dot + 1)));
        }
        String listed = namespaces.stream().limit(MAX_NAMESPACES_LISTED).collect(Collectors.joining(", "));
        return namespaces.size() > MAX_NAMESPACES_LISTED ? listed + ", ..." : listed;
    }
}
