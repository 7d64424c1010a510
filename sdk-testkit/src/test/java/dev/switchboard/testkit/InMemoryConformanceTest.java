package dev.switchboard.testkit;

import dev.switchboard.Messaging;
import dev.switchboard.inmemory.InMemoryBroker;
import dev.switchboard.spi.Capability;
import dev.switchboard.testkit.tck.ConformanceHarness;
import dev.switchboard.testkit.tck.ConformanceSuite;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** The in-memory provider runs the whole conformance suite, as every broker does. */
class InMemoryConformanceTest extends ConformanceSuite {
    private static final Duration OUTAGE = Duration.ofMillis(300);

    private final InMemoryBroker broker = InMemoryBroker.create();

    @Override
    protected ConformanceHarness harness() {
        return new ConformanceHarness() {
            @Override
            public Map<String, String> properties() {
                return broker.properties();
            }

            @Override
            public Set<Capability> expectedCapabilities() {
                return EnumSet.allOf(Capability.class);
            }

            @Override
            public Map<String, String> unreachable(Duration timeout) {
                InMemoryBroker down = InMemoryBroker.create();
                down.stop();
                Map<String, String> properties = new HashMap<>(down.properties());
                properties.put("switchboard.connect-timeout", timeout.toMillis() + "ms");
                return properties;
            }

            @Override
            public boolean canInterruptBroker() {
                return true;
            }

            @Override
            public void interruptBroker() {
                broker.stop();
            }

            @Override
            public void resumeBroker() {
                broker.start();
            }

            /** An interruption that lasts a moment, as a real restart does. */
            @Override
            public void restartBroker() {
                interruptBroker();
                try {
                    Thread.sleep(OUTAGE.toMillis()); // the outage itself, not a wait for something to happen
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    resumeBroker();
                }
            }

            @Override
            public Duration timeout() {
                return Duration.ofSeconds(10);
            }

            @Override
            public Duration quietPeriod() {
                return Duration.ofMillis(300);
            }
        };
    }
}
