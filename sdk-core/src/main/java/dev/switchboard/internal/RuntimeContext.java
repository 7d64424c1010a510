package dev.switchboard.internal;

import dev.switchboard.internal.publish.PublishDeadlines;
import dev.switchboard.internal.config.CoreSettings;

import dev.switchboard.DeduplicationStore;
import dev.switchboard.MessagingException;
import dev.switchboard.PayloadCodec;
import dev.switchboard.TypeRegistry;
import dev.switchboard.spi.BrokerDriver;
import dev.switchboard.spi.ReceiverDriver;
import dev.switchboard.spi.ReceiverSpec;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * What the portable runtime of one {@code Messaging} instance shares: the driver, the settings, codec and
 * types, the deduplication store, the failure classifier, the provisioning policy, and the shared scheduler.
 */
public final class RuntimeContext {
    private final String brokerName;
    private final BrokerDriver driver;
    private final CoreSettings settings;
    private final PayloadCodec codec;
    private final TypeRegistry types;
    private final DeduplicationStore deduplicationStore;
    private final Runnable ensureOpen;
    private final ScheduledExecutorService scheduler;
    private final FailureClassifier classifier;
    private final Provisioner provisioner;
    private final PublishDeadlines publishDeadlines;
    private final Observers observers;
    private final ExecutorService driverCalls = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
            new SynchronousQueue<>(), Threads.named("switchboard-driver-call", true));

    public RuntimeContext(String brokerName, BrokerDriver driver, CoreSettings settings, PayloadCodec codec,
                          TypeRegistry types, DeduplicationStore deduplicationStore, ScheduledExecutorService scheduler,
                          Observers observers, Runnable ensureOpen) {
        this.brokerName = brokerName;
        this.driver = driver;
        this.settings = settings;
        this.codec = codec;
        this.types = types;
        this.deduplicationStore = deduplicationStore;
        this.ensureOpen = ensureOpen;
        this.observers = observers;
        this.scheduler = scheduler;
        this.classifier = new FailureClassifier(driver, settings.publishTimeout());
        this.provisioner = new Provisioner(driver.topology(), settings.provisioning(), brokerName, classifier);
        this.publishDeadlines = new PublishDeadlines(settings.publishTimeout(), scheduler);
    }

    /** The registered instrumentation, as one. */
    public Observers observers() {
        return observers;
    }

    /** The publish deadline ({@code switchboard.publish.timeout}) of every publish. */
    public PublishDeadlines publishDeadlines() {
        return publishDeadlines;
    }

    public String brokerName() {
        return brokerName;
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

    /** The shared scheduler thread: local retries, deadlines, drivers' timed work. Never block on it. */
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /**
     * Where driver calls that may block run off the caller's thread: timed work once the scheduler fired it (a
     * publish retry, a dead-letter rewrite), and a publish's provisioning. A driver call may block (an admin
     * request, up to the connect timeout), and neither the one scheduler thread nor a publisher's thread may.
     * Threads come and go with the work.
     */
    public ExecutorService driverCalls() {
        return driverCalls;
    }

    /** Stops the driver-call threads; called once by {@code Messaging.close}, after every subscription closed. */
    public void close() {
        driverCalls.shutdownNow();
    }

    /** Fails with FAILED_PRECONDITION once the owning Messaging is closed. */
    public void ensureOpen() {
        ensureOpen.run();
    }

    /**
     * Provisions {@code topic} under the provisioning policy, once per instance, on a {@link #driverCalls()}
     * thread: completes at once when it is provisioned already, else when the driver's calls are done (or failed,
     * with the native failure; the next call tries again).
     */
    public CompletableFuture<Void> topicReady(String topic) {
        return provisioner.topicReady(topic, driverCalls);
    }

    public ReceiverSpec receiverSpec(String topic, String group, ReceiverSpec.Source source, int maxInFlight) {
        return receiverSpec(topic, group, source, maxInFlight, Set.of());
    }

    public ReceiverSpec receiverSpec(String topic, String group, ReceiverSpec.Source source, int maxInFlight,
                                     Set<String> eventTypes) {
        return new ReceiverSpec(topic, group, settings.deadLetterDestination(topic, group), source, maxInFlight, eventTypes);
    }

    /** Provisions what {@code spec} reads from, then opens a receiver on it; failures classified. */
    public ReceiverDriver openReceiver(ReceiverSpec spec) {
        provisioner.ensureReceiver(spec);
        try {
            return driver.openReceiver(spec);
        } catch (RuntimeException e) {
            throw classify(e);
        }
    }

    /** Provisions the topic, the group and its dead-letter destination, without consuming. */
    public void provision(String topic, String group) {
        provisioner.ensureReceiver(receiverSpec(topic, group, ReceiverSpec.Source.SUBSCRIPTION, 1));
    }

    /** Classifies any failure, unwrapping the wrappers of {@code CompletableFuture}. */
    public MessagingException classify(Throwable failure) {
        return classifier.classify(failure);
    }
}
