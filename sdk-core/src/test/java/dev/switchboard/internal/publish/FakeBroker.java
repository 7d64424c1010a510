package dev.switchboard.internal.publish;

import dev.switchboard.ErrorCode;
import dev.switchboard.MessagingException;
import dev.switchboard.spi.Batching;
import dev.switchboard.spi.BrokerDriver;
import dev.switchboard.spi.Capability;
import dev.switchboard.spi.OutboundMessage;
import dev.switchboard.spi.PublisherDriver;
import dev.switchboard.spi.ReceiverDriver;
import dev.switchboard.spi.ReceiverSpec;
import dev.switchboard.spi.TopologyDriver;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A scripted driver for the core's publish and provisioning paths: it records every call, and answers sends
 * with what the test scripted (by default: confirmed at once). Native failures are {@link NativeFailure}s, which
 * it classifies by their code, as a real driver classifies its client's exceptions.
 */
final class FakeBroker implements BrokerDriver, PublisherDriver, TopologyDriver {
    /** A native failure of the fake client. */
    static final class NativeFailure extends RuntimeException {
        final ErrorCode code;

        NativeFailure(ErrorCode code) {
            super("native " + code);
            this.code = code;
        }
    }

    final List<List<String>> sendCalls = new CopyOnWriteArrayList<>();
    final List<String> topologyCalls = new CopyOnWriteArrayList<>();
    /** The attributes of every message sent, as {@code ce_} headers. */
    final List<Map<String, String>> sentAttributes = new CopyOnWriteArrayList<>();
    final Set<String> existing = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Answers for the next sends, one per message; empty = confirmed at once. */
    final Queue<Function<OutboundMessage, CompletableFuture<String>>> answers = new ConcurrentLinkedQueue<>();
    /** Holds every provisioning call until it counts down: a broker that takes its time to answer. */
    volatile java.util.concurrent.CountDownLatch provisioningGate = new java.util.concurrent.CountDownLatch(0);
    /** What {@link #answersAtOnce()} says: whether the core provisions on the publisher's thread. */
    volatile boolean answersAtOnce;
    private final Batching batching;
    private final int maxMessageBytes;

    FakeBroker(Batching batching, int maxMessageBytes) {
        this.batching = batching;
        this.maxMessageBytes = maxMessageBytes;
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of();
    }

    @Override
    public String attributePrefix() {
        return "ce_";
    }

    @Override
    public PublisherDriver publisher() {
        return this;
    }

    @Override
    public TopologyDriver topology() {
        return this;
    }

    @Override
    public ReceiverDriver openReceiver(ReceiverSpec spec) {
        throw new UnsupportedOperationException("the fake broker only publishes");
    }

    @Override
    public MessagingException classify(Throwable failure) {
        return failure instanceof NativeFailure n ? new MessagingException(n.code, n.getMessage(), n) : null;
    }

    @Override
    public void close() {
    }

    @Override
    public Batching batching() {
        return batching;
    }

    @Override
    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    @Override
    public List<CompletableFuture<String>> send(String topic, List<OutboundMessage> batch) {
        sendCalls.add(batch.stream().map(OutboundMessage::id).toList());
        for (OutboundMessage message : batch) {
            Map<String, String> attributes = new TreeMap<>();
            message.forEachAttribute("ce_", attributes::put);
            sentAttributes.add(attributes);
        }
        List<CompletableFuture<String>> results = new ArrayList<>();
        for (OutboundMessage message : batch) {
            Function<OutboundMessage, CompletableFuture<String>> answer = answers.poll();
            results.add(answer == null ? CompletableFuture.completedFuture("ref-" + message.id()) : answer.apply(message));
        }
        return results;
    }

    @Override
    public boolean answersAtOnce() {
        return answersAtOnce;
    }

    @Override
    public boolean topicExists(String topic) {
        topologyCalls.add("topicExists " + topic);
        awaitProvisioningGate();
        return existing.contains(topic);
    }

    @Override
    public void createTopic(String topic) {
        topologyCalls.add("createTopic " + topic);
        awaitProvisioningGate();
        existing.add(topic);
    }

    @Override
    public boolean receiverExists(ReceiverSpec spec) {
        topologyCalls.add("receiverExists " + spec.group());
        return existing.contains(spec.topic() + "/" + spec.group());
    }

    @Override
    public void createReceiver(ReceiverSpec spec) {
        topologyCalls.add("createReceiver " + spec.group());
        existing.add(spec.topic() + "/" + spec.group());
    }

    private void awaitProvisioningGate() {
        try {
            provisioningGate.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
