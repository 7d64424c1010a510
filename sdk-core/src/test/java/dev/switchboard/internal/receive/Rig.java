package dev.switchboard.internal.receive;

import dev.switchboard.ErrorCode;
import dev.switchboard.EventContext;
import dev.switchboard.MessagingException;
import dev.switchboard.PayloadCodec;
import dev.switchboard.Subscription;
import dev.switchboard.TypeRegistry;
import dev.switchboard.internal.Observers;
import dev.switchboard.spi.InboundMessage;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Dispatch and settlement wired as {@link SubscriptionRuntime} wires them, over a scripted receiver, manual time
 * and manual workers, without the receive loop: the test hands batches in as the loop would, and runs the
 * handlers. Every handler call is recorded as {@code id#attempt} in {@link #handled}.
 */
final class Rig {
    /** What a handler does with an event. */
    interface Behaviour {
        void handle(EventContext context) throws Exception;
    }

    final ReceiveSettings settings;
    final ScriptedReceiver receiver;
    final ManualScheduler scheduler = new ManualScheduler();
    final ManualWorkers workers = new ManualWorkers();
    /** Where a dead-letter write tried again runs once due; run by hand as well. */
    final ManualWorkers retries = new ManualWorkers();
    final FaultyDeduplicationStore deduplication = new FaultyDeduplicationStore();
    final SubscriptionCounters counters = new SubscriptionCounters();
    final InFlight inFlight;
    final Settlement settlement;
    final Dispatcher dispatcher;
    final List<String> handled = new CopyOnWriteArrayList<>();
    /** What the observers were told, in order. */
    final RecordingObserver observed = new RecordingObserver();

    /** A rig whose handler for type {@code t} succeeds. */
    Rig(TestSettings settings) {
        this(settings, context -> { });
    }

    /** A rig whose handler for type {@code t} (text payload) does {@code behaviour}. */
    Rig(TestSettings settings, Behaviour behaviour) {
        this(settings, new ScriptedReceiver(), behaviour);
    }

    /** A rig over {@code receiver}, scripted beforehand where its settlement batching matters. */
    Rig(TestSettings settings, ScriptedReceiver receiver, Behaviour behaviour) {
        this.settings = settings.build();
        this.receiver = receiver;
        this.inFlight = new InFlight(this.settings.maxInFlight());
        HandlerTable handlers = new HandlerTable(Subscription.to("orders").group("billing")
                .on("t", String.class, (text, context) -> {
                    handled.add(context.envelope().id() + "#" + context.attempt());
                    behaviour.handle(context);
                })
                .on("json", Order.class, (order, context) -> handled.add(context.envelope().id() + "#" + context.attempt()))
                .build(), new TypeRegistry());
        Dispatcher[] self = new Dispatcher[1];
        this.settlement = new Settlement(this.settings, receiver, deduplication, scheduler, retries, Rig::classify,
                inFlight, counters, d -> self[0].execute(d), d -> self[0].settled(d), Observers.of(List.of(observed)));
        this.dispatcher = new Dispatcher(this.settings, handlers, PayloadCodec.json(), deduplication, workers, inFlight,
                counters, settlement, Observers.of(List.of(observed)));
        self[0] = dispatcher;
    }

    static MessagingException classify(Throwable failure) {
        return failure instanceof MessagingException typed ? typed
                : new MessagingException(ErrorCode.UNKNOWN, String.valueOf(failure), failure);
    }

    /** A JSON payload for the handler of type {@code json}. */
    record Order(String id, int cents) {
    }

    /** Takes a slot per message, as the receive loop does, and dispatches them as one batch. */
    void dispatch(InboundMessage... messages) {
        takeSlots(messages.length);
        dispatcher.dispatch(List.of(messages));
    }

    /** Takes a slot and admits {@code message} as a delivery, for settlement to settle. */
    InFlightDelivery admit(InboundMessage message, String laneKey) {
        takeSlots(1);
        InFlightDelivery d = new InFlightDelivery(message, laneKey, settings);
        inFlight.admit(d);
        return d;
    }

    /** How many slots of the window are free. */
    int freeSlots() {
        int free = takeNow(1, Integer.MAX_VALUE);
        inFlight.window().release(free);
        return free;
    }

    private void takeSlots(int slots) {
        if (takeNow(slots, slots) != slots) {
            throw new IllegalStateException("fewer than " + slots + " slots free");
        }
    }

    private int takeNow(int atLeast, int atMost) {
        try {
            return inFlight.window().take(atLeast, atMost, 0, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
