package dev.switchboard.internal;

import dev.switchboard.ErrorCode;
import dev.switchboard.MessagingException;
import dev.switchboard.PayloadCodec;
import dev.switchboard.DeduplicationStore;
import dev.switchboard.TypeRegistry;
import dev.switchboard.spi.BrokerDriver;
import dev.switchboard.spi.ReceiverSpec;
import dev.switchboard.spi.SubscriberDriver;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeoutException;

/**
 * What the portable runtime of one {@code Messaging} instance shares: the driver, the settings, codec and
 * types, the deduplication store, and one scheduler thread for delayed work (local retries).
 */
public final class RuntimeContext {
    private final BrokerDriver driver;
    private final CoreSettings settings;
    private final PayloadCodec codec;
    private final TypeRegistry types;
    private final DeduplicationStore deduplicationStore;
    private final Runnable ensureOpen;
    private final ScheduledThreadPoolExecutor scheduler;
    private final Set<String> ensuredTopics = ConcurrentHashMap.newKeySet();
    private final PublishDeadlines publishDeadlines;

    public RuntimeContext(BrokerDriver driver, CoreSettings settings, PayloadCodec codec, TypeRegistry types,
                          DeduplicationStore deduplicationStore, Runnable ensureOpen) {
        this.driver = driver;
        this.settings = settings;
        this.codec = codec;
        this.types = types;
        this.deduplicationStore = deduplicationStore;
        this.ensureOpen = ensureOpen;
        this.scheduler = new ScheduledThreadPoolExecutor(1, Threads.named("switchboard-scheduler", true));
        this.scheduler.setRemoveOnCancelPolicy(true);
        this.publishDeadlines = new PublishDeadlines(settings.publishTimeout(), scheduler);
    }

    /** Fails {@code publish} with {@code DEADLINE_EXCEEDED} when it outlives the publish timeout. */
    public void trackPublishDeadline(CompletableFuture<?> publish) {
        publishDeadlines.track(publish);
    }

    public BrokerDriver driver() {
        return driver;
    }

    public CoreSettings settings() {
        return settings;
    }

    public PayloadCodec codec() {
        return codec;
    }

    public TypeRegistry types() {
        return types;
    }

    public DeduplicationStore deduplicationStore() {
        return deduplicationStore;
    }

    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** Fails with FAILED_PRECONDITION once the owning Messaging is closed. */
    public void ensureOpen() {
        ensureOpen.run();
    }

    /** Provisions {@code topic} once per instance; failures are not cached, so a later call tries again. */
    public void ensureTopic(String topic) {
        if (!ensuredTopics.contains(topic)) {
            try {
                driver.ensureTopic(topic);
            } catch (RuntimeException e) {
                throw classify(e);
            }
            ensuredTopics.add(topic);
        }
    }

    public ReceiverSpec receiverSpec(String topic, String group, ReceiverSpec.Source source, int maxInFlight) {
        return receiverSpec(topic, group, source, maxInFlight, Set.of());
    }

    public ReceiverSpec receiverSpec(String topic, String group, ReceiverSpec.Source source, int maxInFlight,
                                     Set<String> eventTypes) {
        return new ReceiverSpec(topic, group, settings.deadLetterDestination(topic, group), source, maxInFlight, eventTypes);
    }

    /** Opens a receiver, classifying what the driver throws. */
    public SubscriberDriver openReceiver(ReceiverSpec spec) {
        try {
            return driver.subscribe(spec);
        } catch (RuntimeException e) {
            throw classify(e);
        }
    }

    /** Provisions the topic, the group and its dead-letter destination, without consuming. */
    public void provision(String topic, String group) {
        ensureTopic(topic);
        openReceiver(receiverSpec(topic, group, ReceiverSpec.Source.SUBSCRIPTION, 1)).close();
    }

    /** Classifies any failure, unwrapping the wrappers of {@code CompletableFuture}. */
    public MessagingException classify(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof MessagingException m) {
            return m;
        }
        if (cause instanceof TimeoutException) {
            return new MessagingException(ErrorCode.DEADLINE_EXCEEDED, "no broker confirmation within "
                    + settings.publishTimeout() + " (switchboard.publish.timeout)", cause);
        }
        try {
            MessagingException classified = driver.classify(cause);
            return classified != null ? classified : new MessagingException(ErrorCode.UNKNOWN, String.valueOf(cause), cause);
        } catch (RuntimeException e) {
            return new MessagingException(ErrorCode.INTERNAL, "driver failed to classify " + cause, cause);
        }
    }

    /** Stops the shared scheduler; called once by {@code Messaging.close}, after every subscription closed. */
    public void close() {
        scheduler.shutdownNow();
    }
}
