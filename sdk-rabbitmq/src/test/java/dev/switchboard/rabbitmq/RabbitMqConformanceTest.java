package dev.switchboard.rabbitmq;

import dev.switchboard.Messaging;
import dev.switchboard.spi.Capability;
import dev.switchboard.testkit.tck.ConformanceHarness;
import dev.switchboard.testkit.tck.ConformanceSuite;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** The whole conformance suite on a real RabbitMQ node. */
class RabbitMqConformanceTest extends ConformanceSuite {
    @Override
    protected ConformanceHarness harness() {
        return new ConformanceHarness() {
            @Override
            public Map<String, String> properties() {
                return RabbitMqTestBroker.properties(Map.of());
            }

            @Override
            public Set<Capability> expectedCapabilities() {
                return EnumSet.of(Capability.REDELIVERY_DELAY, Capability.LARGE_PAYLOADS, Capability.DEAD_LETTER_REPLAY,
                        Capability.ORDERING_BY_KEY, Capability.NATIVE_ATTEMPT_COUNT);
            }

            @Override
            public Map<String, String> unreachable(Duration timeout) {
                // a loopback port nothing listens on
                return Map.of("switchboard.broker", "rabbitmq",
                        "switchboard.rabbitmq.uri", "amqp://guest:guest@127.0.0.1:1/",
                        "switchboard.connect-timeout", timeout.toMillis() + "ms");
            }

            @Override
            public boolean canInterruptBroker() {
                return RabbitMqTestBroker.canInjectFaults();
            }

            @Override
            public String whyNoInterrupt() {
                return "the RabbitMQ node is not the local one managed by scripts/rabbitmq-fault.sh";
            }

            /** Stops the RabbitMQ application (the node stays up, AMQP is refused); queues and messages stay. */
            @Override
            public void interruptBroker() {
                RabbitMqTestBroker.fault("stop-app");
            }

            @Override
            public void resumeBroker() {
                RabbitMqTestBroker.fault("start-app");
            }

            /** Both in one run of the fault script, which holds its lock meanwhile. */
            @Override
            public void restartBroker() {
                RabbitMqTestBroker.fault("restart-app");
            }

            @Override
            public void cleanUp(Set<String> topics, Set<String> groups) {
                RabbitMqTestBroker.cleanUp(topics, groups);
            }

            @Override
            public Duration quietPeriod() {
                return Duration.ofSeconds(1);
            }
        };
    }
}
