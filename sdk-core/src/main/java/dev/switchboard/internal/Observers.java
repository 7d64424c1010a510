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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registered {@link Instrumentation}s as one, for the runtime: every call is guarded (a listener's exception
 * is ignored: the first {@value #LOGGED_AT_WARN} are logged at WARN, later ones at DEBUG), and {@link #enabled()} lets the hot path
 * skip everything when nobody listens. With one listener its observations are used as they are; with several,
 * each observation fans out. Thread-safe.
 */
public final class Observers {
    private static final Logger log = LoggerFactory.getLogger(Observers.class);
    private static final Observers NONE = new Observers(List.of());
    static final int LOGGED_AT_WARN = 10;
    private static final AtomicLong LISTENER_FAILURES = new AtomicLong();

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

    public PublishObservation publishStarted(PublishContext publish) {
        if (single != null) {
            try {
                return single.publishStarted(publish);
            } catch (RuntimeException e) {
                return failedListener(e, PublishObservation.NONE);
            }
        }
        List<PublishObservation> all = new ArrayList<>(listeners.size());
        for (Instrumentation listener : listeners) {
            try {
                all.add(listener.publishStarted(publish));
            } catch (RuntimeException e) {
                failedListener(e, null);
            }
        }
        return new PublishObservation() {
            @Override
            public void published(PublishResult result) {
                all.forEach(o -> Observers.published(o, result));
            }

            @Override
            public void failed(MessagingException failure) {
                all.forEach(o -> Observers.failed(o, failure));
            }
        };
    }

    public static void published(PublishObservation observation, PublishResult result) {
        try {
            observation.published(result);
        } catch (RuntimeException e) {
            failedListener(e, null);
        }
    }

    public static void failed(PublishObservation observation, MessagingException failure) {
        try {
            observation.failed(failure);
        } catch (RuntimeException e) {
            failedListener(e, null);
        }
    }

    public void subscriptionStarted(SubscriptionView subscription) {
        for (Instrumentation listener : listeners) {
            try {
                listener.subscriptionStarted(subscription);
            } catch (RuntimeException e) {
                failedListener(e, null);
            }
        }
    }

    public void received(SubscriptionView subscription, int messages) {
        for (Instrumentation listener : listeners) {
            try {
                listener.received(subscription, messages);
            } catch (RuntimeException e) {
                failedListener(e, null);
            }
        }
    }

    public ProcessObservation processStarted(DeliveryContext delivery) {
        if (single != null) {
            try {
                return single.processStarted(delivery);
            } catch (RuntimeException e) {
                return failedListener(e, ProcessObservation.NONE);
            }
        }
        List<ProcessObservation> all = new ArrayList<>(listeners.size());
        for (Instrumentation listener : listeners) {
            try {
                all.add(listener.processStarted(delivery));
            } catch (RuntimeException e) {
                failedListener(e, null);
            }
        }
        return new ProcessObservation() {
            @Override
            public Scope makeCurrent() {
                List<Scope> scopes = new ArrayList<>(all.size());
                all.forEach(o -> scopes.add(Observers.makeCurrent(o)));
                return () -> {
                    for (int i = scopes.size() - 1; i >= 0; i--) {
                        close(scopes.get(i));
                    }
                };
            }

            @Override
            public void handlerEnded(Throwable failure) {
                all.forEach(o -> Observers.handlerEnded(o, failure));
            }

            @Override
            public void settled(Outcome outcome) {
                all.forEach(o -> Observers.settled(o, outcome));
            }
        };
    }

    public static ProcessObservation.Scope makeCurrent(ProcessObservation observation) {
        try {
            return observation.makeCurrent();
        } catch (RuntimeException e) {
            return failedListener(e, ProcessObservation.Scope.NOOP);
        }
    }

    public static void close(ProcessObservation.Scope scope) {
        try {
            scope.close();
        } catch (RuntimeException e) {
            failedListener(e, null);
        }
    }

    public static void handlerEnded(ProcessObservation observation, Throwable failure) {
        try {
            observation.handlerEnded(failure);
        } catch (RuntimeException e) {
            failedListener(e, null);
        }
    }

    public static void settled(ProcessObservation observation, Outcome outcome) {
        try {
            observation.settled(outcome);
        } catch (RuntimeException e) {
            failedListener(e, null);
        }
    }

    public void settledWithoutHandler(DeliveryContext delivery, Outcome outcome) {
        for (Instrumentation listener : listeners) {
            try {
                listener.settledWithoutHandler(delivery, outcome);
            } catch (RuntimeException e) {
                failedListener(e, null);
            }
        }
    }

    public void subscriptionClosed(SubscriptionView subscription, boolean inTime) {
        for (Instrumentation listener : listeners) {
            try {
                listener.subscriptionClosed(subscription, inTime);
            } catch (RuntimeException e) {
                failedListener(e, null);
            }
        }
    }

    private static <T> T failedListener(RuntimeException e, T fallback) {
        StackTraceElement origin = e.getStackTrace().length > 0 ? e.getStackTrace()[0] : null;
        if (LISTENER_FAILURES.incrementAndGet() <= LOGGED_AT_WARN) {
            log.warn("an instrumentation listener threw (ignored; the event goes on): {} at {}", e.toString(), origin);
        } else {
            log.debug("an instrumentation listener threw (ignored): {} at {}", e.toString(), origin);
        }
        return fallback;
    }
}
