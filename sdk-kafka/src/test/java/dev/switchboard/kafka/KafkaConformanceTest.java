package dev.switchboard.kafka;

import dev.switchboard.Messaging;
import dev.switchboard.spi.Capability;
import dev.switchboard.testkit.tck.ConformanceHarness;
import dev.switchboard.testkit.tck.ConformanceSuite;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** The whole conformance suite on a real Kafka broker. */
class KafkaConformanceTest extends ConformanceSuite {
    @Override
    protected ConformanceHarness harness() {
        return new ConformanceHarness() {
            @Override
            public Map<String, String> properties() {
                return KafkaTestBroker.properties(Map.of());
            }

            @Override
            public Set<Capability> expectedCapabilities() {
                return EnumSet.of(Capability.ORDERING_BY_KEY, Capability.DEAD_LETTER_REPLAY, Capability.REDELIVERY_DELAY);
            }

            @Override
            public Map<String, String> unreachable(Duration timeout) {
                // a loopback port nothing listens on
                return Map.of("switchboard.broker", "kafka",
                        "switchboard.kafka.bootstrap-servers", "127.0.0.1:1",
                        "switchboard.connect-timeout", timeout.toMillis() + "ms");
            }

            @Override
            public boolean canInterruptBroker() {
                return KafkaTestBroker.canStopAndStart();
            }

            @Override
            public String whyNoInterrupt() {
                return "the Kafka broker is not the local one started by scripts/start-kafka.sh";
            }

            /** Stops the broker process (stop-kafka.sh); its data stays for the resume. */
            @Override
            public void interruptBroker() {
                KafkaTestBroker.stop();
            }

            @Override
            public void resumeBroker() {
                KafkaTestBroker.start();
            }

            @Override
            public Duration quietPeriod() {
                return Duration.ofSeconds(2);
            }
        };
    }
}
