package dev.switchboard.inmemory;

import dev.switchboard.ConfigurationException;
import dev.switchboard.SwitchboardConfig;
import dev.switchboard.spi.BrokerDriver;
import dev.switchboard.spi.BrokerProvider;
import dev.switchboard.spi.ConfigKey;
import dev.switchboard.spi.DriverContext;
import dev.switchboard.inmemory.internal.FaultInjector;
import dev.switchboard.inmemory.internal.InMemoryDriver;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The {@code in-memory} provider: connects to an {@link InMemoryBroker} in this JVM, by name.
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><td>{@code switchboard.in-memory.instance}</td><td>the broker's name; default {@code default}</td></tr>
 *   <tr><td>{@code switchboard.in-memory.journal}</td><td>what the broker records for {@link RecordedEvents}:
 *       {@code on} (every event, the default), {@code off}, or a number (the newest that many of each kind); see
 *       {@link Journal}. Applies when this connection creates the broker; a different value than an existing
 *       broker's fails</td></tr>
 *   <tr><td>{@code switchboard.in-memory.fault.seed}</td><td>seed of the fault injection; default 0</td></tr>
 *   <tr><td>{@code switchboard.in-memory.fault.duplicate-probability}</td><td>chance, 0.0–1.0, that a delivery is
 *       delivered again later; default 0</td></tr>
 *   <tr><td>{@code switchboard.in-memory.fault.max-extra-delay}</td><td>random extra delay added to every
 *       redelivery; default 0</td></tr>
 * </table>
 *
 * @since 0.1
 */
public final class InMemoryProvider implements BrokerProvider {
    public static final String NAME = "in-memory";
    public static final String INSTANCE = "switchboard.in-memory.instance";
    public static final String JOURNAL = "switchboard.in-memory.journal";
    public static final String FAULT_SEED = "switchboard.in-memory.fault.seed";
    public static final String FAULT_DUPLICATES = "switchboard.in-memory.fault.duplicate-probability";
    public static final String FAULT_EXTRA_DELAY = "switchboard.in-memory.fault.max-extra-delay";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<ConfigKey> configKeys() {
        return List.of(
                ConfigKey.of(INSTANCE, "name of the in-memory broker in this JVM; default \"default\""),
                ConfigKey.of(JOURNAL, "what the broker records for assertions: on (default), off, or the newest N events"),
                ConfigKey.of(FAULT_SEED, "seed of the fault injection (a long)"),
                ConfigKey.of(FAULT_DUPLICATES, "probability 0.0-1.0 that a delivery is delivered again later"),
                ConfigKey.of(FAULT_EXTRA_DELAY, "random extra delay added to each redelivery, such as 200ms"));
    }

    @Override
    public BrokerDriver open(DriverContext context) {
        SwitchboardConfig config = context.config();
        InMemoryBroker broker = broker(config);
        FaultInjector faults = new FaultInjector(config.integer(FAULT_SEED, 0),
                config.decimal(FAULT_DUPLICATES, 0.0), config.duration(FAULT_EXTRA_DELAY, Duration.ZERO));
        return new InMemoryDriver(broker.engine(), faults.isActive() ? faults : FaultInjector.NONE,
                InMemoryDriver.ALL_CAPABILITIES);
    }

    private static InMemoryBroker broker(SwitchboardConfig config) {
        String name = config.string(INSTANCE, InMemoryBroker.DEFAULT_NAME);
        Optional<String> journal = config.string(JOURNAL);
        if (journal.isEmpty()) {
            return InMemoryBroker.named(name);
        }
        try {
            return InMemoryBroker.named(name, Journal.parse(journal.get()));
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ConfigurationException(JOURNAL, e.getMessage());
        }
    }
}
