package dev.switchboard.kafka.internal;

import dev.switchboard.kafka.KafkaOptions;
import dev.switchboard.spi.ReceiverSpec;
import dev.switchboard.spi.TopologyDriver;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Topics through the admin client: a group needs no provisioning on Kafka, so a receiver is its dead-letter
 * topic (and, for a subscription, its topic). Every call is bounded by the connect timeout; a broker that does
 * not answer in time fails with a {@link TimeoutException} naming the servers and the setting. Thread-safe.
 */
final class KafkaTopology implements TopologyDriver {
    private final Admin admin;
    private final KafkaOptions options;
    private final Duration timeout;

    KafkaTopology(Admin admin, KafkaOptions options, Duration timeout) {
        this.admin = admin;
        this.options = options;
        this.timeout = timeout;
    }

    @Override
    public boolean topicExists(String topic) {
        return exist(List.of(topic));
    }

    @Override
    public void createTopic(String topic) {
        create(List.of(topic));
    }

    @Override
    public boolean receiverExists(ReceiverSpec spec) {
        return exist(topicsOf(spec));
    }

    @Override
    public void createReceiver(ReceiverSpec spec) {
        create(topicsOf(spec));
    }

    private static List<String> topicsOf(ReceiverSpec spec) {
        return spec.source() == ReceiverSpec.Source.SUBSCRIPTION
                ? List.of(spec.topic(), spec.deadLetterDestination()) : List.of(spec.deadLetterDestination());
    }

    private boolean exist(List<String> topics) {
        try {
            await(admin.describeTopics(topics).allTopicNames());
            return true;
        } catch (UnknownTopicOrPartitionException e) {
            return false;
        }
    }

    private void create(List<String> topics) {
        List<NewTopic> requested = topics.stream()
                .map(topic -> new NewTopic(topic, Optional.of(options.partitions()), options.replicationFactor()))
                .toList();
        // one request: its per-topic answers arrive together
        for (KafkaFuture<Void> created : admin.createTopics(requested).values().values()) {
            try {
                await(created);
            } catch (TopicExistsException e) {
                // there already: what create asks for
            }
        }
    }

    /** The result, or the native failure thrown as it is (a Kafka failure is unchecked). */
    private <T> T await(KafkaFuture<T> future) {
        try {
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TimeoutException timeout) {
                throw notAnswered(timeout);
            }
            throw e.getCause() instanceof RuntimeException failure ? failure : new CompletionException(e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw notAnswered(e);
        } catch (InterruptedException e) {
            throw new InterruptException(e);
        }
    }

    private TimeoutException notAnswered(Throwable cause) {
        return new TimeoutException("Kafka at " + options.bootstrapServers() + " did not answer within " + timeout
                + " (switchboard.connect-timeout)", cause);
    }
}
