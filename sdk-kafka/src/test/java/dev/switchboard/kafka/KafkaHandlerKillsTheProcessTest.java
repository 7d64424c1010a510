package dev.switchboard.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.DeadLetter;
import dev.switchboard.EventEnvelope;
import dev.switchboard.Messaging;
import dev.switchboard.testkit.scale.ServiceInstance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * An event whose handler kills the process (Runtime.halt, as an out-of-memory error would): each restarted
 * instance finds, in the group's commit metadata, that its predecessor died with records out, handles those
 * one at a time with each try committed first, and once the poison's tries pass the retry policy's attempts the
 * core dead-letters it without calling the handler: the handler runs once among the others, once with the other
 * suspects, then {@code max-attempts} times alone. Before, the attempt count lived in memory and the instance
 * died on the same event forever.
 */
class KafkaHandlerKillsTheProcessTest {
    private static final int MAX_ATTEMPTS = 3;

    @Test
    void anEventThatHaltsTheJvmReachesTheDeadLetterTopicAfterTheRetryPolicysAttempts() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String topic = "poison-" + run;
        String group = "poison-" + run;
        Map<String, String> config = new HashMap<>(KafkaTestBroker.properties(Map.of()));
        config.put("switchboard.retry.max-attempts", String.valueOf(MAX_ATTEMPTS));
        config.put("switchboard.kafka.topic.partitions", "1");
        Path workDir = Files.createTempDirectory("poison-" + run);
        List<String> halts = new ArrayList<>();
        List<String> handled = new ArrayList<>();
        List<String> output = new ArrayList<>();
        try (Messaging messaging = Messaging.fromConfig(config)) {
            messaging.provision(topic, group);
            for (String data : List.of("before", "poison", "after-1", "after-2")) {
                messaging.publisher().publish(topic, EventEnvelope.builder().id(data + "-" + run)
                        .type("com.example.noted").data(data).build()).toCompletableFuture().join();
            }
            ServiceInstance survivor = null;
            for (int start = 1; start <= MAX_ATTEMPTS + 4 && survivor == null; start++) {
                ServiceInstance instance = ServiceInstance.start("instance-" + start, config, topic, group,
                        Duration.ZERO, workDir, "poison");
                if (instance.awaitExit(Duration.ofSeconds(20))) {
                    halts.addAll(instance.otherOutput().stream().filter(line -> line.startsWith("HALT")).toList());
                    output.add(instance.name() + ": " + String.join("\n  ", instance.otherOutput()));
                } else {
                    survivor = instance;
                }
                instance.handled().forEach(h -> handled.add(h.data()));
            }
            assertThat(survivor).as("an instance that did not halt; their output:\n" + String.join("\n", output)).isNotNull();
            List<DeadLetter> deadLetters = messaging.deadLetters(topic, group).list(10, Duration.ofSeconds(15));
            survivor.handled().forEach(h -> handled.add(h.data()));
            survivor.close();

            // once among the others, once with the other suspects (nobody can tell which record killed the process
            // then), then alone, counted
            String poison = "HALT poison-" + run + " attempt ";
            assertThat(halts).containsExactly(poison + 1, poison + 1, poison + 1, poison + 2, poison + 3);
            assertThat(deadLetters).singleElement().satisfies(deadLetter -> {
                assertThat(deadLetter.envelope().id()).isEqualTo("poison-" + run);
                assertThat(deadLetter.reason()).isEqualTo("retries-exhausted");
                assertThat(deadLetter.attempts()).isEqualTo(MAX_ATTEMPTS + 1);
            });
            assertThat(handled).contains("before", "after-1", "after-2").doesNotContain("poison");
        }
    }
}
