package dev.switchboard.internal.config;

import dev.switchboard.ConfigurationException;
import dev.switchboard.SwitchboardConfig;
import dev.switchboard.SwitchboardProperties;
import dev.switchboard.spi.BrokerProvider;
import dev.switchboard.spi.ConfigKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.TreeMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * The broker providers on the classpath, found through {@link ServiceLoader}, or the one given explicitly, and
 * the choice among them.
 */
public final class ProviderLookup {
    /** Namespaces of the providers Switchboard ships; their keys are ignored, not rejected, when absent. */
    static final Set<String> WELL_KNOWN_NAMESPACES = Set.of("kafka", "rabbitmq", "sns-sqs", "in-memory");

    private final Map<String, BrokerProvider> byName;
    private final String where;

    private ProviderLookup(Map<String, BrokerProvider> byName, String where) {
        this.byName = byName;
        this.where = where;
    }

    public static ProviderLookup load(ClassLoader loader) {
        Map<String, BrokerProvider> byName = new TreeMap<>();
        for (BrokerProvider provider : ServiceLoader.load(BrokerProvider.class, loader)) {
            BrokerProvider previous = byName.putIfAbsent(provider.name(), provider);
            if (previous != null && previous.getClass() != provider.getClass()) {
                throw new ConfigurationException(SwitchboardProperties.BROKER, "two providers are named \""
                        + provider.name() + "\": " + previous.getClass().getName() + " and "
                        + provider.getClass().getName());
            }
        }
        return new ProviderLookup(byName, "on the classpath");
    }

    /** Only {@code provider}, wired explicitly: {@link ServiceLoader} is not consulted. */
    public static ProviderLookup of(BrokerProvider provider) {
        return new ProviderLookup(Map.of(provider.name(), provider), "given to Messaging.Builder.provider");
    }

    /** Core keys plus every present provider's keys. */
    public List<ConfigKey> knownKeys() {
        List<ConfigKey> keys = new ArrayList<>(CoreConfigKeys.ALL);
        byName.values().forEach(p -> keys.addAll(p.configKeys()));
        return keys;
    }

    /** Well-known broker namespaces whose provider is not on the classpath. */
    public Set<String> absentNamespaces() {
        Set<String> absent = new HashSet<>(WELL_KNOWN_NAMESPACES);
        byName.values().forEach(p -> absent.remove(p.configNamespace()));
        return absent;
    }

    /**
     * The provider named by {@code switchboard.broker}, or the only one present.
     *
     * @throws ConfigurationException if none is present, the name is unknown, or several are present and
     *     none is named
     */
    public BrokerProvider select(SwitchboardConfig config) {
        String key = SwitchboardProperties.BROKER;
        String wanted = config.string(key).map(String::trim).orElse(null);
        if (byName.isEmpty()) {
            throw new ConfigurationException(key, "no broker provider on the classpath: add one of switchboard-kafka, "
                    + "switchboard-rabbitmq, switchboard-aws or (for tests) switchboard-testkit");
        }
        if (wanted == null || wanted.isEmpty()) {
            if (byName.size() == 1) {
                return byName.values().iterator().next();
            }
            throw new ConfigurationException(key, key + " is required when several providers are on the classpath;"
                    + " expected one of " + byName.keySet());
        }
        BrokerProvider provider = byName.get(wanted);
        if (provider == null) {
            String origin = config.originOf(key).map(o -> " (from " + o + ")").orElse("");
            throw new ConfigurationException(key, key + "=" + wanted + origin + " names no provider " + where
                    + "; expected one of " + byName.keySet());
        }
        return provider;
    }
}
