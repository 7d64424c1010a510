package dev.switchboard.internal;

import dev.switchboard.MessagingException;
import dev.switchboard.PublishResult;
import dev.switchboard.instrumentation.DeliveryContext;
import dev.switchboard.instrumentation.Instrumentation;
import dev.switchboard.instrumentation.Outcome;
import dev.switchboard.instrumentation.ProcessObservation;
import dev.switchboard.instrumentation.PublishContext;
import dev.switchboard.instrumentation.PublishObservation;
import dev.switchboard.instrumentation.SubscriptionView;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registered {@link Instrumentation}s as one, for the runtime: every call is guarded (whatever a listener throws,
 * but a {@code VirtualMachineError}, is ignored: the first {@value #LOGGED_AT_WARN} failures from each class are
 * logged at WARN, later ones at DEBUG), and {@link #enabled()} lets the hot path skip everything when nobody listens. With one listener its observations are used as they are; with several,
 * each observation fans out to those that returned one ({@code NONE} is left out; when only one is left, it is
 * used as it is, and when none is, the result is {@code NONE}, which spares the runtime its completion callback).
 * The fan-out holds its observations in an array and calls them in a loop: it is on the path of every event.
 * Thread-safe.
 */
public final class Observers {
    private static final Logger log = LoggerFactory.getLogger(Observers.class);
    private static final Observers NONE = new Observers(List.of());
    static final int LOGGED_AT_WARN = 10;
    /** Failures counted by the class they came from, so that a second broken listener is still logged at WARN. */
    private static final Map<String, AtomicLong> LISTENER_FAILURES = new ConcurrentHashMap<>();

    private final List<Instrumentation> listeners;
    private final Instrumentation single;

    private Observers(List<Instrumentation> listeners) {
        this.listeners = List.copyOf(listeners);
        this.single = this.listeners.size() == 1 ? this.listeners.get(0) : null;
    }

    public static Observers of(List<Instrumentation> listeners) {
        return listeners.isEmpty() ? NONE : new Observers(listeners);
    }

    public static Observers none() {
        return NONE;
    }

    /** Whether anyone listens; when not, the runtime makes no call and builds no context. */
    public boolean enabled() {
        return !listeners.isEmpty();
    }

    /** Every listener's {@link Instrumentation#currentContext()}, merged (a later listener's field wins). */
    public Map<String, String> currentContext() {
        Map<String, String> fields = Map.of();
        for (Instrumentation listener : listeners) {
            try {
                Map<String, String> own = listener.currentContext();
                if (own != null && !own.isEmpty()) {
                    if (fields.isEmpty()) {
                        fields = own;
                    } else {
                        Map<String, String> merged = new HashMap<>(fields);
                        merged.putAll(own);
                        fields = merged;
                    }
                }
            } catch (Throwable e) {
                failedListener(e, null);
            }
        }
        return fields;
    }

    public PublishObservation publishStarted(PublishContext publish) {
        if (single != null) {
            try {
                PublishObservation observation = single.publishStarted(publish);
                return observation != null ? observation : PublishObservation.NONE;
            } catch (Throwable e) {
                return failedListener(e, PublishObservation.NONE);
            }
        }
        PublishObservation[] all = new PublishObservation[listeners.size()];
        int n = 0;
        for (Instrumentation listener : listeners) {
            try {
                PublishObservation observation = listener.publishStarted(publish);
                if (observation != null && observation != PublishObservation.NONE) {
                    all[n++] = observation;
                }
            } catch (Throwable e) {
                failedListener(e, null);
            }
        }
        return n == 0 ? PublishObservation.NONE : n == 1 ? all[0] : new PublishFanOut(all, n);
    }

    /** The observations of one publish, told in the listeners' order. */
    private static final class PublishFanOut implements PublishObservation {
        private final PublishObservation[] all;
        private final int n;

        PublishFanOut(PublishObservation[] all, int n) {
            this.all = all;
            this.n = n;
        }

        @Override
        public void published(PublishResult result) {
            for (int i = 0; i < n; i++) {
                Observers.published(all[i], result);
            }
        }

        @Override
        public void failed(MessagingException failure) {
            for (int i = 0; i < n; i++) {
                Observers.failed(all[i], failure);
            }
        }
    }

    public static void published(PublishObservation observation, PublishResult result) {
        try {
            observation.published(result);
        } catch (Throwable e) {
            failedListener(e, null);
        }
    }

    public static void failed(PublishObservation observation, MessagingException failure) {
        try {
            observation.failed(failure);
        } catch (Throwable e) {
            failedListener(e, null);
        }
    }

    public void subscriptionStarted(SubscriptionView subscription) {
        for (Instrumentation listener : listeners) {
            try {
                listener.subscriptionStarted(subscription);
            } catch (Throwable e) {
                failedListener(e, null);
            }
        }
    }

    public void received(SubscriptionView subscription, int messages) {
        for (Instrumentation listener : listeners) {
            try {
                listener.received(subscription, messages);
            } catch (Throwable e) {
                failedListener(e, null);
            }
        }
    }

    public ProcessObservation processStarted(DeliveryContext delivery) {
        if (single != null) {
            try {
                ProcessObservation observation = single.processStarted(delivery);
                return observation != null ? observation : ProcessObservation.NONE;
            } catch (Throwable e) {
                return failedListener(e, ProcessObservation.NONE);
            }
        }
        ProcessObservation[] all = new ProcessObservation[listeners.size()];
        int n = 0;
        for (Instrumentation listener : listeners) {
            try {
                ProcessObservation observation = listener.processStarted(delivery);
                if (observation != null && observation != ProcessObservation.NONE) {
                    all[n++] = observation;
                }
            } catch (Throwable e) {
                failedListener(e, null);
            }
        }
        return n == 0 ? ProcessObservation.NONE : n == 1 ? all[0] : new ProcessFanOut(all, n);
    }

    /** The observations of one handler call, told in the listeners' order; their scopes close in reverse. */
    private static final class ProcessFanOut implements ProcessObservation {
        private final ProcessObservation[] all;
        private final int n;

        ProcessFanOut(ProcessObservation[] all, int n) {
            this.all = all;
            this.n = n;
        }

        @Override
        public Scope makeCurrent() {
            Scope[] scopes = new Scope[n];
            int opened = 0;
            for (int i = 0; i < n; i++) {
                Scope scope = Observers.makeCurrent(all[i]);
                if (scope != Scope.NOOP) {
                    scopes[opened++] = scope;
                }
            }
            if (opened == 0) {
                return Scope.NOOP;
            }
            int count = opened;
            return () -> {
                for (int i = count - 1; i >= 0; i--) {
                    close(scopes[i]);
                }
            };
        }

        @Override
        public void handlerEnded(Throwable failure) {
            for (int i = 0; i < n; i++) {
                Observers.handlerEnded(all[i], failure);
            }
        }

        @Override
        public void settled(Outcome outcome) {
            for (int i = 0; i < n; i++) {
                Observers.settled(all[i], outcome);
            }
        }
    }

    public static ProcessObservation.Scope makeCurrent(ProcessObservation observation) {
        try {
            return observation.makeCurrent();
        } catch (Throwable e) {
            return failedListener(e, ProcessObservation.Scope.NOOP);
        }
    }

    public static void close(ProcessObservation.Scope scope) {
        try {
            scope.close();
        } catch (Throwable e) {
            failedListener(e, null);
        }
    }

    public static void handlerEnded(ProcessObservation observation, Throwable failure) {
        try {
            observation.handlerEnded(failure);
        } catch (Throwable e) {
            failedListener(e, null);
        }
    }

    public static void settled(ProcessObservation observation, Outcome outcome) {
        try {
            observation.settled(outcome);
        } catch (Throwable e) {
            failedListener(e, null);
        }
    }

    public void settledWithoutHandler(DeliveryContext delivery, Outcome outcome) {
        for (Instrumentation listener : listeners) {
            try {
                listener.settledWithoutHandler(delivery, outcome);
            } catch (Throwable e) {
                failedListener(e, null);
            }
        }
    }

    public void subscriptionClosed(SubscriptionView subscription, boolean inTime) {
        for (Instrumentation listener : listeners) {
            try {
                listener.subscriptionClosed(subscription, inTime);
            } catch (Throwable e) {
                failedListener(e, null);
            }
        }
    }

    private static <T> T failedListener(Throwable e, T fallback) {
        if (e instanceof VirtualMachineError fatal) {
            throw fatal; // out of memory, a stack overflow: nothing to go on with
        }
        StackTraceElement origin = e.getStackTrace().length > 0 ? e.getStackTrace()[0] : null;
        String from = origin == null ? "?" : origin.getClassName();
        if (LISTENER_FAILURES.computeIfAbsent(from, f -> new AtomicLong()).incrementAndGet() <= LOGGED_AT_WARN) {
            log.warn("an instrumentation listener threw (ignored; the event goes on): {} at {}", e.toString(), origin);
        } else {
            log.debug("an instrumentation listener threw (ignored): {} at {}", e.toString(), origin);
        }
        return fallback;
    }
}
