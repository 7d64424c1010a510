package dev.switchboard.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.EventEnvelope;
import dev.switchboard.Messaging;
import dev.switchboard.spi.BrokerDriver;
import dev.switchboard.spi.InboundMessage;
import dev.switchboard.spi.ReceiverDriver;
import dev.switchboard.spi.ReceiverSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The SQS receiver against a real SQS endpoint (the fauxqs emulator in CI), where the SPI leaves room. */
@Timeout(120)
class SqsReceiverTest {
    private Messaging messaging;

    @AfterEach
    void closeConnection() {
        if (messaging != null) {
            messaging.close(Duration.ofSeconds(5));
        }
    }

    /**
     * A drain interrupts the receiving threads. The long poll under way must not keep what it takes until the
     * visibility timeout (60 s here): it gives it back, so the next receive has it at once, second attempt.
     */
    @Test
    void whatAnInterruptedReceiveTakesAfterwardsGoesBackToTheQueueAtOnce() throws Exception {
        messaging = Messaging.fromConfig(AwsTestBroker.properties(Map.of("switchboard.aws.sqs.wait-time", "20s",
                "switchboard.aws.sqs.visibility-timeout", "60s")));
        String topic = "receiver-interrupt-" + UUID.randomUUID();
        messaging.provision(topic, "g");
        BrokerDriver driver = messaging.unwrap(BrokerDriver.class).orElseThrow();
        ReceiverDriver receiver = driver.openReceiver(new ReceiverSpec(topic, "g", topic + ".g.dlq",
                ReceiverSpec.Source.SUBSCRIPTION, 10));
        EventEnvelope event = EventEnvelope.builder().type("com.example.interrupted").data("x").build();

        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> receiver.receive(10, Duration.ofSeconds(20))).isInstanceOf(InterruptedException.class);
        messaging.publisher().publishAndWait(topic, event);

        List<InboundMessage> received = new ArrayList<>();
        await().pollInSameThread().atMost(Duration.ofSeconds(20)).until(() -> {
            received.addAll(receiver.receive(10, Duration.ofSeconds(1)));
            return !received.isEmpty();
        });
        assertThat(received).hasSize(1);
        assertThat(received.get(0).attempt()).as("the interrupted poll took it first").isEqualTo(2);
        receiver.ack(List.copyOf(received)).join();
        receiver.close();
    }
}
