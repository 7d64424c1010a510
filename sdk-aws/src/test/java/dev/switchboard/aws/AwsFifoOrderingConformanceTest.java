package dev.switchboard.aws;

import dev.switchboard.Messaging;
import dev.switchboard.spi.Capability;
import dev.switchboard.testkit.tck.ConformanceBase;
import dev.switchboard.testkit.tck.ConformanceHarness;
import dev.switchboard.testkit.tck.OrderingTests;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Nested;

/**
 * The capability check and the conformance suite's ordering group on FIFO topics and queues
 * ({@code switchboard.sns-sqs.fifo=true}): 1000 events over 16 keys in order with concurrency 8, order kept
 * across retries, different keys concurrent.
 * The rest of the suite runs on standard topics ({@link AwsConformanceTest}): FIFO's deduplication by event
 * id would drop the suite's deliberate re-publishes of one id.
 */
class AwsFifoOrderingConformanceTest extends ConformanceBase {
    @Override
    protected ConformanceHarness harness() {
        return new ConformanceHarness() {
            @Override
            public Map<String, String> properties() {
                return AwsTestBroker.properties(Map.of("switchboard.sns-sqs.fifo", "true"));
            }

            @Override
            public Set<Capability> expectedCapabilities() {
                return EnumSet.of(Capability.REDELIVERY_DELAY, Capability.NATIVE_ATTEMPT_COUNT, Capability.DEAD_LETTER_REPLAY,
                        Capability.ORDERING_BY_KEY);
            }

            @Override
            public Map<String, String> unreachable(Duration timeout) {
                throw new UnsupportedOperationException("the ordering group does not need an unreachable broker");
            }
        };
    }

    @Nested
    class PerKeyOrdering extends OrderingTests {
    }
}
