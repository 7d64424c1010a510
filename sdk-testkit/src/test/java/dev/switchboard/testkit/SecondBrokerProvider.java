package dev.switchboard.testkit;

import dev.switchboard.spi.BrokerDriver;
import dev.switchboard.spi.BrokerProvider;
import dev.switchboard.spi.Capability;
import dev.switchboard.spi.ConfigKey;
import dev.switchboard.spi.DriverContext;
import dev.switchboard.inmemory.internal.FaultInjector;
import dev.switchboard.inmemory.internal.InMemoryDriver;
import dev.switchboard.inmemory.internal.InMemoryEngine;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A second provider on the test classpath (named {@code second}, with its own broker state and without
 * {@link Capability#ORDERING_BY_KEY}), so that tests can show that {@code switchboard.broker} alone chooses
 * between providers, and how the portable layer treats a broker that cannot keep per-key order.
 */
public final class SecondBrokerProvider implements BrokerProvider {
    /** The topics of the events published on the second broker, one entry per event. */
    static final List<String> PUBLISHED_TOPICS = new java.util.concurrent.CopyOnWriteArrayList<>();
    private static final InMemoryEngine ENGINE = new InMemoryEngine("second", new InMemoryEngine.Listener() {
        @Override
        public void published(String topic, dev.switchboard.EventEnvelope envelope) {
            PUBLISHED_TOPICS.add(topic);
        }

        @Override
        public void consumed(String topic, String group, dev.switchboard.EventEnvelope envelope) {
        }

        @Override
        public void deadLettered(String topic, String group, dev.switchboard.EventEnvelope deadLetter) {
        }
    });

    @Override
    public String name() {
        return "second";
    }

    @Override
    public List<ConfigKey> configKeys() {
        return List.of(ConfigKey.of("switchboard.second.label", "a key of the second provider"));
    }

    @Override
    public BrokerDriver open(DriverContext context) {
        // declares no per-key ordering, to show what the portable layer does on such a broker
        Set<Capability> capabilities = EnumSet.copyOf(InMemoryDriver.ALL_CAPABILITIES);
        capabilities.remove(Capability.ORDERING_BY_KEY);
        return new InMemoryDriver(ENGINE, FaultInjector.NONE, capabilities);
    }
}
