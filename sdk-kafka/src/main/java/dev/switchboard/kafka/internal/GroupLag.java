package dev.switchboard.kafka.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;

/**
 * A consumer group's lag on one topic, with the driver's admin client: for every partition, the end offset minus
 * the group's committed offset. A partition the group has not committed on yet counts from its first offset when
 * the group starts at the earliest offset ({@code auto.offset.reset=earliest}, the driver's default), and not at
 * all otherwise (where it started is not known). Two rounds of admin calls (the committed offsets with the
 * topic's partitions, then the offsets of the partitions), bounded together by the connect timeout. Thread-safe;
 * never touches a consumer.
 */
final class GroupLag {
    private final Admin admin;
    private final Duration timeout;

    GroupLag(Admin admin, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
    }

    /**
     * The lag of {@code group} on {@code topic}; a failure (the broker unreachable within the timeout) is thrown
     * as the native exception, unchecked.
     */
    OptionalLong of(String group, String topic, boolean fromEarliest) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        KafkaFuture<Map<TopicPartition, OffsetAndMetadata>> committedAsked = admin.listConsumerGroupOffsets(group,
                new ListConsumerGroupOffsetsOptions().timeoutMs(millis)).partitionsToOffsetAndMetadata();
        KafkaFuture<Map<String, TopicDescription>> partitionsAsked = admin.describeTopics(List.of(topic),
                new DescribeTopicsOptions().timeoutMs(millis)).allTopicNames();
        Map<TopicPartition, OffsetAndMetadata> committed = await(committedAsked, deadline);
        Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
        Map<TopicPartition, OffsetSpec> starts = new HashMap<>();
        await(partitionsAsked, deadline).get(topic).partitions().forEach(info -> {
            TopicPartition partition = new TopicPartition(topic, info.partition());
            if (committed.get(partition) != null) {
                ends.put(partition, OffsetSpec.latest());
            } else if (fromEarliest) {
                ends.put(partition, OffsetSpec.latest());
                starts.put(partition, OffsetSpec.earliest());
            }
        });
        if (ends.isEmpty()) {
            return OptionalLong.of(0);
        }
        ListOffsetsOptions options = new ListOffsetsOptions().timeoutMs(millis);
        KafkaFuture<Map<TopicPartition, ListOffsetsResultInfo>> endsAsked = admin.listOffsets(ends, options).all();
        KafkaFuture<Map<TopicPartition, ListOffsetsResultInfo>> startsAsked = starts.isEmpty()
                ? KafkaFuture.completedFuture(Map.of()) : admin.listOffsets(starts, options).all();
        Map<TopicPartition, ListOffsetsResultInfo> end = await(endsAsked, deadline);
        Map<TopicPartition, ListOffsetsResultInfo> start = await(startsAsked, deadline);
        long lag = 0;
        for (Map.Entry<TopicPartition, ListOffsetsResultInfo> partition : end.entrySet()) {
            OffsetAndMetadata done = committed.get(partition.getKey());
            long from = done != null ? done.offset() : start.get(partition.getKey()).offset();
            lag += Math.max(0, partition.getValue().offset() - from);
        }
        return OptionalLong.of(lag);
    }

    private static <T> T await(KafkaFuture<T> future, long deadline) {
        try {
            return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException failure ? failure : new CompletionException(e.getCause());
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new CompletionException(e);
        } catch (InterruptedException e) {
            throw new InterruptException(e);
        }
    }
}
