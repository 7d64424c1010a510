package dev.switchboard.spi;

import java.util.List;

/**
 * Entry point of a broker adapter, registered in
 * {@code META-INF/services/dev.switchboard.spi.BrokerProvider}.
 *
 * <p>Implementations must have a public no-argument constructor and must not connect in it: the core
 * instantiates every provider on the classpath to learn names and configuration keys.
 *
 * @since 0.1
 */
public interface BrokerProvider {
    /** The value of {@code switchboard.broker} that selects this provider, such as {@code kafka}. */
    String name();

    /**
     * The keys this provider reads, all under {@code switchboard.<namespace>.}. Keys under that namespace that
     * none of these match fail startup.
     */
    List<ConfigKey> configKeys();

    /** The configuration namespace, the part after {@code switchboard.}; by default the name. */
    default String configNamespace() {
        return name();
    }

    /**
     * Opens a driver. Should not block on the network: a broker that is down at startup is retried by the
     * driver, and operations fail with {@code UNAVAILABLE} within {@link DriverContext#connectTimeout()}.
     *
     * @throws dev.switchboard.ConfigurationException if the provider's configuration is invalid
     */
    BrokerDriver open(DriverContext context);
}
