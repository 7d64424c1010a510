package dev.switchboard.internal.receive;

import dev.switchboard.Connectivity;
import dev.switchboard.DeduplicationStore;
import dev.switchboard.MessagingException;
import dev.switchboard.PayloadCodec;
import dev.switchboard.SubscriberStats;
import dev.switchboard.Subscription;
import dev.switchboard.SubscriptionHealth;
import dev.switchboard.SubscriptionState;
import dev.switchboard.instrumentation.SubscriptionView;
import dev.switchboard.internal.Observers;
import dev.switchboard.internal.RuntimeContext;
import dev.switchboard.internal.Threads;
import dev.switchboard.spi.InboundMessage;
import dev.switchboard.spi.ReceiverDriver;
import dev.switchboard.spi.ReceiverSpec;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One running subscription, as {@code Messaging} and {@code Subscriber} see it: it opens the receiver, wires
 * the {@link ReceiveLoop}, {@link Dispatcher}, {@link Settlement} and {@link Drain} together (see the package
 * documentation), starts receiving, and closes through the drain. Thread-safe.
 */
public final class SubscriptionRuntime implements SubscriptionView {
    private final ReceiveSettings settings;
    private final InFlight inFlight;
    private final SubscriptionCounters counters = new SubscriptionCounters();
    private final Dispatcher dispatcher;
    private final ReceiveLoop loop;
    private final Drain drain;
    private final ReceiverDriver receiver;
    private final Observers observers;
    private final ReceiveHealth receiveHealth = new ReceiveHealth();
    private final LagCache lag;

    /**
     * Wires a subscription over an open receiver; {@link #start()} starts receiving.
     *
     * @param onClosed told once the drain has closed the receiver
     */
    SubscriptionRuntime(ReceiveSettings settings, ReceiverDriver receiver, HandlerTable handlers, Services services,
                        Consumer<SubscriptionRuntime> onClosed) {
        this.settings = settings;
        this.receiver = receiver;
        this.observers = services.observers();
        this.lag = new LagCache(receiver::lag, services.driverCalls());
        this.inFlight = new InFlight(settings.maxInFlight());
        Settlement settlement = new Settlement(settings, receiver, services.deduplication(), services.scheduler(),
                services.driverCalls(), services.classify(), inFlight, counters, this::runAgain, this::released,
                observers);
        this.dispatcher = new Dispatcher(settings, handlers, services.codec(), services.deduplication(),
                services.workers(), inFlight, counters, settlement, observers);
        this.loop = new ReceiveLoop(settings, receiver, inFlight, services.scheduler(), services.classify(),
                observers.enabled() ? this::receivedObserved : dispatcher::dispatch, services.pollerThreads(),
                receiveHealth);
        this.drain = new Drain(settings, loop, receiver, inFlight, settlement, services.workers(), drained -> {
            observers.subscriptionClosed(this, drained);
            onClosed.accept(this);
        });
    }

    /**
     * Resolves the subscription's settings, provisions and opens its receiver, and starts receiving.
     *
     * @throws MessagingException if the subscription asks for what the broker cannot do, or the receiver
     *     cannot be opened
     */
    public static SubscriptionRuntime start(RuntimeContext context, Subscription subscription,
                                            Consumer<SubscriptionRuntime> onClosed) {
        HandlerTable handlers = new HandlerTable(subscription, context.types());
        ReceiveSettings settings = ReceiveSettings.of(context, subscription);
        ReceiverDriver receiver = context.openReceiver(context.receiverSpec(settings.topic(), settings.group(),
                ReceiverSpec.Source.SUBSCRIPTION, settings.maxInFlight(),
                subscription.onlyHandledTypes() ? handlers.types() : Set.of()));
        String name = "switchboard-" + settings.topic() + "-" + settings.group();
        Services services = new Services(context.codec(), context.deduplicationStore(),
                Scheduler.of(context.scheduler()), context.driverCalls(),
                Workers.pool(settings.concurrency(), Threads.named(name, true)), Threads.named(name + "-poller", true),
                context::classify, context.observers());
        SubscriptionRuntime runtime = new SubscriptionRuntime(settings, receiver, handlers, services, onClosed);
        runtime.start();
        return runtime;
    }

    void start() {
        observers.subscriptionStarted(this);
        loop.start();
    }

    @Override
    public String system() {
        return settings.system();
    }

    @Override
    public String topic() {
        return settings.topic();
    }

    @Override
    public String group() {
        return settings.group();
    }

    @Override
    public int inFlight() {
        return inFlight.size();
    }

    /** The state from the pollers' experience and the receiver's connection, the lag at most a second old. */
    @Override
    public SubscriptionHealth health() {
        boolean closed = drain.isClosed();
        Connectivity connectivity = closed ? Connectivity.UNKNOWN : receiver.connectivity();
        SubscriptionState state = receiveHealth.state(inFlight.isDraining(), closed, connectivity);
        return new SubscriptionHealth(settings.topic(), settings.group(), state,
                state == SubscriptionState.RUNNING ? Optional.empty() : receiveHealth.cause(connectivity),
                receiveHealth.sinceLastSuccess(), closed ? OptionalLong.empty() : lag.get(), inFlight.size());
    }

    /** True from start until close begins. */
    public boolean isRunning() {
        return !inFlight.isDraining();
    }

    public Duration defaultShutdownTimeout() {
        return settings.shutdownTimeout();
    }

    @Override
    public SubscriberStats stats() {
        return counters.snapshot(inFlight.size());
    }

    /**
     * Drains gracefully, then closes the receiver; see {@link Drain}. Idempotent and safe from any thread.
     *
     * @return true if every delivery finished and its ack completed within {@code timeout}
     */
    public boolean close(Duration timeout) {
        return drain.close(timeout);
    }

    /** The loop's batches when someone observes: told of each non-empty receive, then dispatched. */
    private void receivedObserved(List<? extends InboundMessage> batch) {
        if (!batch.isEmpty()) {
            observers.received(this, batch.size());
        }
        dispatcher.dispatch(batch);
    }

    /** Settlement's callback: a local retry is due. */
    private void runAgain(InFlightDelivery d) {
        dispatcher.execute(d);
    }

    /** Settlement's callback: a delivery is settled, its lane may go on. */
    private void released(InFlightDelivery d) {
        dispatcher.settled(d);
    }

    /**
     * What a running subscription uses besides its settings and receiver; tests pass fakes of the scheduler
     * and the workers.
     *
     * @param driverCalls where driver calls that may block run (a dead-letter write tried again, a lag query)
     * @param classify explains a failure for the log
     * @param observers told of deliveries, outcomes and the subscription's start and end
     */
    record Services(PayloadCodec codec, DeduplicationStore deduplication, Scheduler scheduler, Executor driverCalls,
                    Workers workers, ThreadFactory pollerThreads, Function<Throwable, MessagingException> classify,
                    Observers observers) {
    }
}
