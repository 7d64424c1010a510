package dev.switchboard.aws;

import dev.switchboard.Messaging;
import dev.switchboard.spi.Capability;
import dev.switchboard.testkit.tck.ConformanceHarness;
import dev.switchboard.testkit.tck.ConformanceSuite;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** The whole conformance suite on SNS + SQS (the fauxqs emulator in CI), standard topics and queues. */
class AwsConformanceTest extends ConformanceSuite {
    @Override
    protected ConformanceHarness harness() {
        return new ConformanceHarness() {
            @Override
            public Map<String, String> properties() {
                return AwsTestBroker.properties(Map.of());
            }

            @Override
            public Set<Capability> expectedCapabilities() {
                return EnumSet.of(Capability.REDELIVERY_DELAY, Capability.NATIVE_ATTEMPT_COUNT, Capability.DEAD_LETTER_REPLAY);
            }

            @Override
            public Map<String, String> unreachable(Duration timeout) {
                Map<String, String> properties = new HashMap<>(AwsTestBroker.properties(Map.of()));
                properties.put("switchboard.sns-sqs.endpoint", "http://127.0.0.1:1"); // a loopback port nothing listens on
                properties.put("switchboard.connect-timeout", timeout.toMillis() + "ms");
                return properties;
            }

            @Override
            public boolean canInterruptBroker() {
                return AwsTestBroker.canFreeze();
            }

            @Override
            public String whyNoInterrupt() {
                return "the SNS/SQS endpoint is not the local emulator managed by scripts/sns-sqs-fault.sh";
            }

            /** Freezes the emulator (SIGSTOP): it accepts connections and answers nothing; its state stays. */
            @Override
            public void interruptBroker() {
                AwsTestBroker.fault("freeze");
            }

            @Override
            public void resumeBroker() {
                AwsTestBroker.fault("thaw");
            }

            /** A freeze is not a restart; and a real restart would empty the emulator, as no real SQS would. */
            @Override
            public boolean canRestartBroker() {
                return false;
            }

            @Override
            public String whyNoRestart() {
                return "the SNS/SQS emulator keeps its state in memory: a restart empties it, as no real SQS would"
                        + " (it can only be frozen: interruptBroker)";
            }
        };
    }
}
