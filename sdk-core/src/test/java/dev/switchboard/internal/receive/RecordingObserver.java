package dev.switchboard.internal.receive;

import dev.switchboard.instrumentation.DeliveryContext;
import dev.switchboard.instrumentation.Instrumentation;
import dev.switchboard.instrumentation.Outcome;
import dev.switchboard.instrumentation.ProcessObservation;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records what the runtime tells its observers, one line each: {@code start id#attempt}, {@code scope id},
 * {@code end id ok|<failure>}, {@code settled id <kind>[ <reason>][ <retry delay>]}, {@code unhandled id <kind>[ <reason>]}.
 */
final class RecordingObserver implements Instrumentation {
    final List<String> lines = new CopyOnWriteArrayList<>();

    @Override
    public ProcessObservation processStarted(DeliveryContext delivery) {
        String id = delivery.envelope().id();
        lines.add("start " + id + "#" + delivery.attempt());
        return new ProcessObservation() {
            @Override
            public Scope makeCurrent() {
                lines.add("scope " + id);
                return () -> lines.add("scope closed " + id);
            }

            @Override
            public void handlerEnded(Throwable failure) {
                lines.add("end " + id + " " + (failure == null ? "ok" : failure.getClass().getSimpleName()));
            }

            @Override
            public void settled(Outcome outcome) {
                lines.add("settled " + id + " " + describe(outcome));
            }
        };
    }

    @Override
    public void settledWithoutHandler(DeliveryContext delivery, Outcome outcome) {
        lines.add("unhandled " + delivery.envelope().id() + " " + describe(outcome));
    }

    private static String describe(Outcome outcome) {
        return outcome.kind() + outcome.reason().map(reason -> " " + reason).orElse("")
                + (outcome.kind() == Outcome.Kind.RETRY_SCHEDULED ? " " + outcome.retryDelay().toMillis() + "ms" : "");
    }
}
