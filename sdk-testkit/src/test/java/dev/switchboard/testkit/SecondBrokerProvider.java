package dev.switchboard.testkit;

import dev.switchboard.spi.BrokerDriver;
import dev.switchboard.spi.BrokerProvider;
import dev.switchboard.spi.ConfigKey;
import dev.switchboard.spi.DriverContext;
import dev.switchboard.testkit.internal.FaultInjector;
import dev.switchboard.testkit.internal.InMemoryDriver;
import dev.switchboard.testkit.internal.InMemoryEngine;
import java.util.List;

/**
 * A second provider on the test classpath (named {@code second}, with its own broker state), so that tests
 * can show that {@code switchboard.broker} alone chooses between providers.
 */
public final class SecondBrokerProvider implements BrokerProvider {
    static final RecordedEvents PUBLISHED = new RecordedEvents("published on the second broker");
    private static final InMemoryEngine ENGINE = new InMemoryEngine("second", new InMemoryEngine.Listener() {
        @Override
        public void published(String topic, dev.switchboard.EventEnvelope envelope) {
            PUBLISHED.record(topic, null, envelope);
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
        return new InMemoryDriver(ENGINE, context.provisioning(), FaultInjector.NONE);
    }
}
