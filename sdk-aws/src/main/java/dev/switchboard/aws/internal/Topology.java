package dev.switchboard.aws.internal;

import dev.switchboard.ErrorCode;
import dev.switchboard.MessagingException;
import dev.switchboard.aws.AwsOptions;
import dev.switchboard.spi.ReceiverSpec;
import dev.switchboard.spi.TopologyDriver;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.sns.model.InvalidParameterException;
import software.amazon.awssdk.services.sns.model.Subscription;
import software.amazon.awssdk.services.sns.model.Topic;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * SNS topics, SQS queues and the subscriptions between them, and the ARNs and URLs the driver addresses them
 * by (remembered once known: SNS has no lookup by name but a listing). A group is an SQS queue with a redrive
 * policy to its dead-letter queue, a queue policy that lets its topic send to it, and a raw-delivery
 * subscription to the topic (with a filter policy on {@code ce_type} when the subscription asked for its
 * types only). The provisioning policy is the core's. Thread-safe.
 */
final class Topology implements TopologyDriver {
    private final AwsClients clients;
    private final AwsOptions options;
    private final Map<String, String> topicArns = new ConcurrentHashMap<>();
    private final Map<String, String> queueUrls = new ConcurrentHashMap<>();

    Topology(AwsClients clients, AwsOptions options) {
        this.clients = clients;
        this.options = options;
    }

    @Override
    public boolean topicExists(String topic) {
        return findTopicArn(topic).isPresent();
    }

    @Override
    public void createTopic(String topic) {
        Map<String, String> attributes = options.fifo() ? Map.of("FifoTopic", "true") : Map.of();
        topicArns.put(topic, clients.sns().createTopic(b -> b.name(topicName(topic)).attributes(attributes)).topicArn());
    }

    @Override
    public boolean receiverExists(ReceiverSpec spec) {
        return queueExists(deadLetterQueue(spec))
                && (spec.source() == ReceiverSpec.Source.DEAD_LETTERS || queueExists(groupQueue(spec)));
    }

    @Override
    public void createReceiver(ReceiverSpec spec) {
        String deadLetterUrl = createQueue(deadLetterQueue(spec), Map.of());
        if (spec.source() == ReceiverSpec.Source.DEAD_LETTERS) {
            return;
        }
        String topicArn = topicArn(spec.topic());
        String url = createQueue(groupQueue(spec), Map.of(QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\""
                + queueArn(deadLetterUrl) + "\",\"maxReceiveCount\":\"" + options.maxReceiveCount() + "\"}"));
        String queueArn = queueArn(url);
        clients.sqs().setQueueAttributes(b -> b.queueUrl(url).attributes(Map.of(QueueAttributeName.POLICY,
                sendPolicy(topicArn, queueArn))));
        subscribe(topicArn, queueArn, spec.eventTypes());
    }

    /** The ARN of the topic's SNS topic, looked up while unknown. */
    String topicArn(String topic) {
        String arn = topicArns.get(topic);
        return arn != null ? arn : findTopicArn(topic).orElseThrow(() -> new MessagingException(ErrorCode.NOT_FOUND,
                "SNS topic \"" + topicName(topic) + "\" does not exist"));
    }

    /** The URL of an SQS queue by name. */
    String queueUrl(String name) {
        return queueUrls.computeIfAbsent(name, n -> clients.sqs().getQueueUrl(b -> b.queueName(n)).queueUrl());
    }

    /** The SQS queue a receiver of {@code spec} reads: the group's, or its dead-letter queue. */
    String sourceQueue(ReceiverSpec spec) {
        return spec.source() == ReceiverSpec.Source.DEAD_LETTERS ? deadLetterQueue(spec) : groupQueue(spec);
    }

    String deadLetterQueue(ReceiverSpec spec) {
        return AwsNames.queue(options.namePrefix(), spec.deadLetterDestination(), options.fifo());
    }

    private String groupQueue(ReceiverSpec spec) {
        return AwsNames.groupQueue(options.namePrefix(), spec.topic(), spec.group(), options.fifo());
    }

    private String topicName(String topic) {
        return AwsNames.topic(options.namePrefix(), topic, options.fifo());
    }

    private Optional<String> findTopicArn(String topic) {
        String suffix = ":" + topicName(topic);
        Optional<String> arn = clients.sns().listTopicsPaginator().topics().stream().map(Topic::topicArn)
                .filter(candidate -> candidate.endsWith(suffix)).findFirst();
        arn.ifPresent(found -> topicArns.put(topic, found));
        return arn;
    }

    private boolean queueExists(String name) {
        try {
            queueUrl(name);
            return true;
        } catch (QueueDoesNotExistException e) {
            return false;
        }
    }

    /** Creates a queue with the driver's visibility timeout (and FIFO) plus {@code attributes}; its URL. */
    private String createQueue(String name, Map<QueueAttributeName, String> attributes) {
        Map<QueueAttributeName, String> all = new HashMap<>(attributes);
        all.put(QueueAttributeName.VISIBILITY_TIMEOUT, Long.toString(options.visibilityTimeout().toSeconds()));
        if (options.fifo()) {
            all.put(QueueAttributeName.FIFO_QUEUE, "true");
        }
        String url = clients.sqs().createQueue(b -> b.queueName(name).attributes(all)).queueUrl();
        queueUrls.put(name, url);
        return url;
    }

    private String queueArn(String url) {
        return clients.sqs().getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    private void subscribe(String topicArn, String queueArn, Set<String> eventTypes) {
        Map<String, String> attributes = new HashMap<>();
        attributes.put("RawMessageDelivery", "true");
        String filter = eventTypes.isEmpty() ? null : filterPolicy(eventTypes);
        if (filter != null) {
            attributes.put("FilterPolicy", filter);
        }
        try {
            clients.sns().subscribe(b -> b.topicArn(topicArn).protocol("sqs").endpoint(queueArn).attributes(attributes)
                    .returnSubscriptionArn(true));
        } catch (InvalidParameterException e) {
            // subscribed before with other attributes (another filter): update that subscription
            Subscription existing = clients.sns().listSubscriptionsByTopicPaginator(b -> b.topicArn(topicArn)).subscriptions()
                    .stream().filter(s -> queueArn.equals(s.endpoint())).findFirst().orElseThrow(() -> e);
            clients.sns().setSubscriptionAttributes(b -> b.subscriptionArn(existing.subscriptionArn())
                    .attributeName("FilterPolicy").attributeValue(filter == null ? "{}" : filter));
        }
    }

    private static String filterPolicy(Set<String> eventTypes) {
        StringBuilder json = new StringBuilder("{\"" + AwsAttributes.TYPE + "\":[");
        List<String> sorted = eventTypes.stream().sorted().toList();
        for (int i = 0; i < sorted.size(); i++) {
            json.append(i == 0 ? "" : ",").append('"').append(sorted.get(i).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return json.append("]}").toString();
    }

    private static String sendPolicy(String topicArn, String queueArn) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"sns.amazonaws.com\"},"
                + "\"Action\":\"sqs:SendMessage\",\"Resource\":\"" + queueArn + "\",\"Condition\":{\"ArnEquals\":"
                + "{\"aws:SourceArn\":\"" + topicArn + "\"}}}]}";
    }
}
