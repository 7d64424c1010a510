package dev.switchboard.benchmarks;

import dev.switchboard.EventEnvelope;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.Topic;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * SNS/SQS: SNS topic → SQS queue with raw message delivery. Publishing is SNS PublishBatch with 10 entries per
 * call, from 8 threads (Switchboard's publish pool; the raw side gets an 8-thread pool too), at most 1000
 * events outstanding. Consuming: 4 threads each receiving 10 with a 1 s long poll and deleting with
 * DeleteMessageBatch (Switchboard: concurrency 1 × prefetch 40, which gives 4 long-polling receivers and batched
 * deletes; wait time 1 s on both). Latency runs publish one event per call on both sides (raw Publish,
 * Switchboard {@code publish()}).
 */
final class SnsSqsBench {
    static final int BATCH = 10;
    static final int MAX_OUTSTANDING = 1000;
    static final int PUBLISH_THREADS = 8;
    static final int RECEIVERS = 4;

    private SnsSqsBench() {
    }

    static Side[] sides(String endpoint, String run) {
        Map<String, String> sb = Map.of(
                "switchboard.broker", "sns-sqs",
                "switchboard.service-name", "bench",
                "switchboard.sns-sqs.endpoint", endpoint,
                "switchboard.sns-sqs.region", "us-east-1",
                "switchboard.sns-sqs.access-key-id", "test",
                "switchboard.sns-sqs.secret-access-key", "test",
                "switchboard.sns-sqs.sqs.wait-time", "1s");
        return new Side[] {new Raw(endpoint, run + "-raw", run + "-raw-raw", false),
                new Raw(endpoint, run + "-rawce", run + "-rawce-raw", true), new Switchboard(sb, run + "-sb", "sb", null),
                new Switchboard(sb, run + "-sbi", "sb", new Observability())};
    }

    static SnsClient sns(SdkHttpClient http, String endpoint) {
        return SnsClient.builder().httpClient(http).region(Region.US_EAST_1).endpointOverride(URI.create(endpoint))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build();
    }

    static SqsClient sqs(SdkHttpClient http, String endpoint) {
        return SqsClient.builder().httpClient(http).region(Region.US_EAST_1).endpointOverride(URI.create(endpoint))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build();
    }

    static SdkHttpClient http() {
        return ApacheHttpClient.builder().maxConnections(64).socketTimeout(Duration.ofSeconds(30)).build();
    }

    /** Deletes the run's topics, their subscriptions and the run's queues (the dead-letter queue included). */
    static void cleanUp(String endpoint, String run) {
        try (SdkHttpClient http = http(); SnsClient sns = sns(http, endpoint); SqsClient sqs = sqs(http, endpoint)) {
            int topics = 0;
            for (Topic topic : sns.listTopicsPaginator().topics()) {
                String arn = topic.topicArn();
                if (arn.substring(arn.lastIndexOf(':') + 1).startsWith(run)) {
                    sns.listSubscriptionsByTopic(b -> b.topicArn(arn)).subscriptions()
                            .forEach(s -> sns.unsubscribe(b -> b.subscriptionArn(s.subscriptionArn())));
                    sns.deleteTopic(b -> b.topicArn(arn));
                    topics++;
                }
            }
            List<String> queues = sqs.listQueues(b -> b.queueNamePrefix(run)).queueUrls();
            queues.forEach(url -> sqs.deleteQueue(b -> b.queueUrl(url)));
            System.out.println("[sns-sqs] deleted " + topics + " topics and " + queues.size() + " queues");
        }
    }

    /**
     * The raw clients. With {@code cloudEventsAttributes} each entry also carries the message attributes a
     * hand-written CloudEvents publisher would send — the six Switchboard sends for these events
     * ({@code ce_specversion}, a random UUID {@code ce_id}, {@code ce_source}, {@code ce_type}, {@code ce_time},
     * {@code content-type}) — and the consumer reads them: the wire format's cost without Switchboard.
     */
    static final class Raw extends Side {
        private final boolean cloudEventsAttributes;
        private final SdkHttpClient http = http();
        private final SnsClient sns;
        private final SqsClient sqs;
        private final String topicArn;
        private final String queueUrl;
        private final ExecutorService publishers = Executors.newFixedThreadPool(PUBLISH_THREADS);

        Raw(String endpoint, String topic, String queue, boolean cloudEventsAttributes) {
            this.cloudEventsAttributes = cloudEventsAttributes;
            this.sns = sns(http, endpoint);
            this.sqs = sqs(http, endpoint);
            this.topicArn = sns.createTopic(b -> b.name(topic)).topicArn();
            this.queueUrl = sqs.createQueue(b -> b.queueName(queue)).queueUrl();
            String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes().get(QueueAttributeName.QUEUE_ARN);
            String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
                    + "{\"Service\":\"sns.amazonaws.com\"},\"Action\":\"sqs:SendMessage\",\"Resource\":\"" + queueArn
                    + "\",\"Condition\":{\"ArnEquals\":{\"aws:SourceArn\":\"" + topicArn + "\"}}}]}";
            sqs.setQueueAttributes(b -> b.queueUrl(queueUrl).attributes(Map.of(QueueAttributeName.POLICY, policy)));
            sns.subscribe(b -> b.topicArn(topicArn).protocol("sqs").endpoint(queueArn)
                    .attributes(Map.of("RawMessageDelivery", "true")));
        }

        @Override
        String name() {
            return cloudEventsAttributes ? RAW_WITH_CE_HEADERS : "raw";
        }

        @Override
        int maxOutstanding() {
            return MAX_OUTSTANDING;
        }

        private Map<String, MessageAttributeValue> attributes() {
            if (!cloudEventsAttributes) {
                return Map.of();
            }
            Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
            attributes.put("ce_specversion", text("1.0"));
            attributes.put("ce_id", text(UUID.randomUUID().toString()));
            attributes.put("ce_source", text("/bench"));
            attributes.put("ce_type", text(SwitchboardSide.TYPE));
            attributes.put("ce_time", text(Instant.now().toString()));
            attributes.put("content-type", text("application/json"));
            return attributes;
        }

        private static MessageAttributeValue text(String value) {
            return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
        }

        /** One event per Publish call (latency runs). */
        @Override
        void send(long seq, Runnable done) {
            String body = EventBytes.makeText(seq);
            publishers.execute(() -> {
                try {
                    sns.publish(b -> b.topicArn(topicArn).message(body).messageAttributes(attributes()));
                } catch (RuntimeException e) {
                    errors.incrementAndGet();
                } finally {
                    done.run();
                }
            });
        }

        /** PublishBatch, 10 entries a call. */
        @Override
        double publish(int n) throws Exception {
            return publishInBatches(n, "PublishBatch calls", errors, (from, size, finished) -> {
                List<PublishBatchRequestEntry> entries = new ArrayList<>(size);
                for (int i = 0; i < size; i++) {
                    entries.add(PublishBatchRequestEntry.builder().id(Integer.toString(i))
                            .message(EventBytes.makeText(from + i)).messageAttributes(attributes()).build());
                }
                publishers.execute(() -> {
                    int failed;
                    try {
                        failed = sns.publishBatch(b -> b.topicArn(topicArn).publishBatchRequestEntries(entries)).failed().size();
                    } catch (RuntimeException e) {
                        failed = size;
                    }
                    finished.accept(failed);
                });
            });
        }

        /** What a CloudEvents reader does at least: every attribute's name and value. */
        private void readAttributes(Message message) {
            int length = 0;
            for (var attribute : message.messageAttributes().entrySet()) {
                length += attribute.getKey().length() + attribute.getValue().stringValue().length();
            }
            if (length == 0) {
                errors.incrementAndGet();
            }
        }

        @Override
        Running consume(Sink sink) {
            AtomicBoolean running = new AtomicBoolean(true);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < RECEIVERS; t++) {
                Thread thread = new Thread(() -> {
                    while (running.get()) {
                        try {
                            List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(BATCH)
                                    .waitTimeSeconds(1).messageAttributeNames("All")
                                    .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
                                    .messages();
                            if (messages.isEmpty()) {
                                continue;
                            }
                            List<DeleteMessageBatchRequestEntry> deletes = new ArrayList<>(messages.size());
                            for (int i = 0; i < messages.size(); i++) {
                                Message m = messages.get(i);
                                if (cloudEventsAttributes) {
                                    readAttributes(m);
                                }
                                sink.onEvent(EventBytes.seq(m.body()), EventBytes.ts(m.body()));
                                deletes.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i))
                                        .receiptHandle(m.receiptHandle()).build());
                            }
                            sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(deletes));
                        } catch (RuntimeException e) {
                            errors.incrementAndGet();
                        }
                    }
                }, "raw-sqs-receiver-" + t);
                thread.start();
                threads.add(thread);
            }
            return () -> {
                running.set(false);
                for (Thread thread : threads) {
                    thread.join();
                }
            };
        }

        @Override
        public void close() {
            publishers.shutdown();
            sns.close();
            sqs.close();
            http.close();
        }
    }

    /** Switchboard: {@code publishAll} of 10 envelopes per call (one PublishBatch); latency via {@code publish()}. */
    static final class Switchboard extends SwitchboardSide {
        Switchboard(Map<String, String> properties, String topic, String group, Observability observability) {
            super(properties, topic, group, 1, BATCH * RECEIVERS, MAX_OUTSTANDING, observability);
        }

        @Override
        double publish(int n) throws Exception {
            return publishInBatches(n, "publishAll batches", errors, (from, size, finished) -> {
                List<EventEnvelope> batch = new ArrayList<>(size);
                for (int i = 0; i < size; i++) {
                    batch.add(envelope(from + i));
                }
                messaging.publisher().publishAll(topic, batch).whenComplete((result, error) ->
                        finished.accept(error != null ? size : result.failures().size()));
            });
        }

        /** {@code publish()} per event, as most code would call it: what "batched by default" would have to cover. */
        double publishOneByOne(int n) throws Exception {
            return super.publish(n);
        }
    }

    /** Starts one batch of {@code size} events from {@code from}; calls {@code finished} with its failure count. */
    @FunctionalInterface
    interface BatchCall {
        void start(int from, int size, java.util.function.IntConsumer finished) throws Exception;
    }

    /**
     * Publishes {@code n} events in batches of {@link #BATCH} with at most {@link #MAX_OUTSTANDING} unconfirmed,
     * the same way on both sides; returns events per second and counts failures in {@code errors}.
     */
    private static double publishInBatches(int n, String what, AtomicLong errors, BatchCall call) throws Exception {
        Semaphore permits = new Semaphore(MAX_OUTSTANDING);
        CountDownLatch done = new CountDownLatch(n);
        long start = System.nanoTime();
        for (int from = 0; from < n; from += BATCH) {
            int size = Math.min(BATCH, n - from);
            permits.acquire(size);
            call.start(from, size, failed -> {
                errors.addAndGet(failed);
                permits.release(size);
                for (int i = 0; i < size; i++) {
                    done.countDown();
                }
            });
        }
        Side.await(done, what);
        return n / Side.seconds(System.nanoTime() - start);
    }
}
