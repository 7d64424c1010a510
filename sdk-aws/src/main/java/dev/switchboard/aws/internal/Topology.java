package dev.switchboard.aws.internal;

import dev.switchboard.ErrorCode;
import dev.switchboard.MessagingException;
import dev.switchboard.Provisioning;
import dev.switchboard.aws.AwsOptions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.sns.model.InvalidParameterException;
import software.amazon.awssdk.services.sns.model.Subscription;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * Topics, queues and subscriptions, made under {@code CREATE} and checked under {@code VALIDATE}, with their
 * ARNs and URLs cached. A group's queue gets a queue policy that lets its topic send to it, a redrive policy
 * to its dead-letter queue, and a raw-delivery subscription to the topic (with a filter policy on
 * {@code ce_type} when the subscription asked for its types only).
 */
final class Topology {
    private final AwsClients clients;
    private final AwsOptions options;
    private final Provisioning provisioning;
    private final Map<String, String> topicArns = new ConcurrentHashMap<>();
    private final Map<String, String> queueUrls = new ConcurrentHashMap<>();
    private final Set<String> subscribed = ConcurrentHashMap.newKeySet();

    Topology(AwsClients clients, AwsOptions options, Provisioning provisioning) {
        this.clients = clients;
        this.options = options;
        this.provisioning = provisioning;
    }

    /** The ARN of the topic's SNS topic, made or looked up once. */
    String topicArn(String topic) {
        return topicArns.computeIfAbsent(topic, t -> {
            String name = AwsNames.topic(options.namePrefix(), t, options.fifo());
            if (provisioning == Provisioning.CREATE) {
                Map<String, String> attributes = new HashMap<>();
                if (options.fifo()) {
                    attributes.put("FifoTopic", "true");
                }
                return clients.sns().createTopic(b -> b.name(name).attributes(attributes)).topicArn();
            }
            return clients.sns().listTopicsPaginator().topics().stream()
                    .map(software.amazon.awssdk.services.sns.model.Topic::topicArn)
                    .filter(arn -> arn.endsWith(":" + name)).findFirst()
                    .orElseThrow(() -> new MessagingException(ErrorCode.NOT_FOUND, "SNS topic \"" + name
                            + "\" does not exist (switchboard.provisioning=" + provisioning.name().toLowerCase() + ")"));
        });
    }

    /** The URL of a queue, made (with these attributes) or looked up once. */
    String queueUrl(String name, Map<QueueAttributeName, String> attributes) {
        return queueUrls.computeIfAbsent(name, n -> {
            if (provisioning == Provisioning.CREATE) {
                Map<QueueAttributeName, String> all = new HashMap<>(attributes);
                all.put(QueueAttributeName.VISIBILITY_TIMEOUT, Long.toString(options.visibilityTimeout().toSeconds()));
                if (options.fifo()) {
                    all.put(QueueAttributeName.FIFO_QUEUE, "true");
                }
                return clients.sqs().createQueue(b -> b.queueName(n).attributes(all)).queueUrl();
            }
            try {
                return clients.sqs().getQueueUrl(b -> b.queueName(n)).queueUrl();
            } catch (QueueDoesNotExistException e) {
                throw new MessagingException(ErrorCode.NOT_FOUND, "SQS queue \"" + n + "\" does not exist"
                        + " (switchboard.provisioning=" + provisioning.name().toLowerCase() + ")", e);
            }
        });
    }

    String queueArn(String url) {
        return clients.sqs().getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    /**
     * The group's queue, subscribed to the topic, with its dead-letter queue as redrive target.
     *
     * @return the queue URL
     */
    String groupQueue(String topic, String queueName, String deadLetterUrl, Set<String> eventTypes) {
        String topicArn = topicArn(topic);
        if (provisioning != Provisioning.CREATE) {
            return queueUrl(queueName, Map.of());
        }
        String deadLetterArn = queueArn(deadLetterUrl);
        Map<QueueAttributeName, String> attributes = new HashMap<>();
        attributes.put(QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + deadLetterArn
                + "\",\"maxReceiveCount\":\"" + options.maxReceiveCount() + "\"}");
        String url = queueUrl(queueName, attributes);
        String queueArn = queueArn(url);
        String key = topicArn + " -> " + queueArn + " " + eventTypes;
        if (subscribed.add(key)) {
            clients.sqs().setQueueAttributes(b -> b.queueUrl(url).attributes(Map.of(QueueAttributeName.POLICY,
                    sendPolicy(topicArn, queueArn))));
            subscribe(topicArn, queueArn, eventTypes);
        }
        return url;
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
