package dev.switchboard.internal.receive;

import dev.switchboard.EventHandler;
import dev.switchboard.PayloadCodec;
import dev.switchboard.Subscription;
import dev.switchboard.TypeRegistry;
import dev.switchboard.internal.InMemoryDeduplicationStore;
import dev.switchboard.internal.Observers;
import java.util.function.Consumer;

/** Starts a {@link SubscriptionRuntime} as {@code Messaging} does, over a scripted receiver and test time. */
final class Runtimes {
    private Runtimes() {
    }

    /** A running subscription whose one handler takes events of type {@code t} as text. */
    static SubscriptionRuntime start(TestSettings settings, ScriptedReceiver receiver, Scheduler scheduler,
                                     Workers workers, EventHandler<String> handler,
                                     Consumer<SubscriptionRuntime> onClosed) {
        HandlerTable handlers = new HandlerTable(Subscription.to("orders").group("billing")
                .on("t", String.class, handler).build(), new TypeRegistry());
        SubscriptionRuntime runtime = new SubscriptionRuntime(settings.build(), receiver, handlers,
                new SubscriptionRuntime.Services(PayloadCodec.json(), new InMemoryDeduplicationStore(), scheduler,
                        Runnable::run, workers, runnable -> new Thread(runnable, "test-poller"), Rig::classify,
                        Observers.none()),
                onClosed);
        runtime.start();
        return runtime;
    }
}
