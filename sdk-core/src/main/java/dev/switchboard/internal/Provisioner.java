package dev.switchboard.internal;

import dev.switchboard.ErrorCode;
import dev.switchboard.MessagingException;
import dev.switchboard.Provisioning;
import dev.switchboard.spi.ReceiverSpec;
import dev.switchboard.spi.TopologyDriver;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The provisioning policy ({@code switchboard.provisioning}) over a driver's {@link TopologyDriver} primitives,
 * once for every broker: {@code create} creates what is missing, {@code validate} fails with {@code NOT_FOUND}
 * naming what is missing, {@code none} touches nothing. What was provisioned is remembered for the life of the
 * connection; a failure is not, so a later call tries again. Thread-safe.
 */
final class Provisioner {
    private static final CompletableFuture<Void> READY = CompletableFuture.completedFuture(null);

    private final TopologyDriver topology;
    private final Provisioning policy;
    private final String brokerName;
    private final FailureClassifier classifier;
    private final Set<String> topics = ConcurrentHashMap.newKeySet();
    private final Set<String> receivers = ConcurrentHashMap.newKeySet();
    /** Topics being provisioned for a publish, each by one task that every publish to it waits for. */
    private final Map<String, CompletableFuture<Void>> topicsUnderWay = new ConcurrentHashMap<>();

    Provisioner(TopologyDriver topology, Provisioning policy, String brokerName, FailureClassifier classifier) {
        this.topology = topology;
        this.policy = policy;
        this.brokerName = brokerName;
        this.classifier = classifier;
    }

    /**
     * {@link #ensureTopic} on {@code executor}, for a publish that must not wait: publishes to a topic being
     * provisioned share the one attempt. Completes at once when the topic is provisioned already, and runs here
     * where the driver's topology calls {@linkplain TopologyDriver#answersAtOnce() answer at once}.
     */
    CompletableFuture<Void> topicReady(String topic, Executor executor) {
        if (policy == Provisioning.NONE || topics.contains(topic)) {
            return READY;
        }
        if (topology.answersAtOnce()) {
            try {
                ensureTopic(topic);
                return READY;
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        CompletableFuture<Void> started = new CompletableFuture<>();
        CompletableFuture<Void> underWay = topicsUnderWay.putIfAbsent(topic, started);
        if (underWay != null) {
            return underWay;
        }
        try {
            executor.execute(() -> {
                try {
                    ensureTopic(topic);
                    started.complete(null);
                } catch (RuntimeException e) {
                    started.completeExceptionally(e);
                } finally {
                    topicsUnderWay.remove(topic, started);
                }
            });
        } catch (RejectedExecutionException e) {
            topicsUnderWay.remove(topic, started);
            started.completeExceptionally(e);
        }
        return started;
    }

    void ensureTopic(String topic) {
        if (policy == Provisioning.NONE || topics.contains(topic)) {
            return;
        }
        try {
            if (policy == Provisioning.CREATE) {
                topology.createTopic(topic);
            } else if (!topology.topicExists(topic)) {
                throw missing("topic \"" + topic + "\"");
            }
        } catch (RuntimeException e) {
            throw classifier.classify(e);
        }
        topics.add(topic);
    }

    /** Provisions what {@code spec} reads from; its topic first, for a subscription. */
    void ensureReceiver(ReceiverSpec spec) {
        if (policy == Provisioning.NONE || receivers.contains(identity(spec))) {
            return;
        }
        if (spec.source() == ReceiverSpec.Source.SUBSCRIPTION) {
            ensureTopic(spec.topic());
        }
        try {
            if (policy == Provisioning.CREATE) {
                topology.createReceiver(spec);
            } else if (!topology.receiverExists(spec)) {
                throw missing(spec.source() == ReceiverSpec.Source.SUBSCRIPTION
                        ? "group \"" + spec.group() + "\" of topic \"" + spec.topic() + "\" (or its dead-letter destination \""
                        + spec.deadLetterDestination() + "\")"
                        : "dead-letter destination \"" + spec.deadLetterDestination() + "\"");
            }
        } catch (RuntimeException e) {
            throw classifier.classify(e);
        }
        receivers.add(identity(spec));
    }

    /** What a receiver reads from, whatever its in-flight limit and type filter. */
    private static String identity(ReceiverSpec spec) {
        return spec.source() + "\u0000" + spec.topic() + "\u0000" + spec.group() + "\u0000" + spec.deadLetterDestination() + "\u0000" + new java.util.TreeSet<>(spec.eventTypes());
    }

    private MessagingException missing(String what) {
        return new MessagingException(ErrorCode.NOT_FOUND, brokerName + " has no " + what + " ("
                + dev.switchboard.SwitchboardProperties.PROVISIONING + "=validate)");
    }
}
