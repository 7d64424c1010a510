package dev.switchboard.kafka.internal;

import dev.switchboard.ErrorCode;
import dev.switchboard.MessagingException;
import dev.switchboard.Provisioning;
import dev.switchboard.kafka.KafkaOptions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates or checks topics with the admin client, under the provisioning policy, once per topic. Every call
 * is bounded by the connect timeout so that a dead broker gives {@code UNAVAILABLE}, never a hang.
 */
final class TopicProvisioner implements AutoCloseable {
    private final Admin admin;
    private final KafkaOptions options;
    private final Provisioning provisioning;
    private final Duration timeout;
    private final Set<String> known = ConcurrentHashMap.newKeySet();

    TopicProvisioner(Admin admin, KafkaOptions options, Provisioning provisioning, Duration timeout) {
        this.admin = admin;
        this.options = options;
        this.provisioning = provisioning;
        this.timeout = timeout;
    }

    Admin admin() {
        return admin;
    }

    void ensure(String topic) {
        if (provisioning == Provisioning.NONE || known.contains(topic)) {
            return;
        }
        try {
            if (provisioning == Provisioning.CREATE) {
                create(topic);
            } else {
                admin.describeTopics(List.of(topic)).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            known.add(topic);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new MessagingException(ErrorCode.NOT_FOUND, "Kafka topic \"" + topic
                        + "\" does not exist (switchboard.provisioning=validate)", e.getCause());
            }
            throw KafkaErrors.classify(e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new MessagingException(ErrorCode.UNAVAILABLE, "Kafka at " + options.bootstrapServers()
                    + " did not answer within " + timeout + " (switchboard.connect-timeout)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MessagingException(ErrorCode.CANCELLED, "interrupted while provisioning " + topic, e);
        }
    }

    private void create(String topic) throws ExecutionException, InterruptedException, java.util.concurrent.TimeoutException {
        NewTopic newTopic = new NewTopic(topic, java.util.Optional.of(options.partitions()), options.replicationFactor());
        try {
            admin.createTopics(List.of(newTopic)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
