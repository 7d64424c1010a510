package dev.switchboard.testkit;

import dev.switchboard.inmemory.InMemoryBroker;
import dev.switchboard.Messaging;
import dev.switchboard.testkit.tck.ConformanceHarness;
import dev.switchboard.testkit.tck.ConformanceSuite;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** The in-memory provider runs the whole conformance suite, as every broker does. */
class InMemoryConformanceTest extends ConformanceSuite {
    private static final Duration OUTAGE = Duration.ofMillis(300);

    private final InMemoryBroker broker = InMemoryBroker.create();

    @Override
    protected ConformanceHarness harness() {
        return new ConformanceHarness() {
            @Override
            public Messaging open(Map<String, String> overrides) {
                return broker.connect(overrides);
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
            public boolean canRestartBroker() {
                return true;
            }

            @Override
            public void restartBroker() {
                broker.stop();
                try {
                    Thread.sleep(OUTAGE.toMillis()); // the outage itself, not a wait for something to happen
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    broker.start();
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
