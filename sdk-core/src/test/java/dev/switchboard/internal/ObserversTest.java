package dev.switchboard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.EventEnvelope;
import dev.switchboard.instrumentation.DeliveryContext;
import dev.switchboard.instrumentation.Instrumentation;
import dev.switchboard.instrumentation.Outcome;
import dev.switchboard.instrumentation.ProcessObservation;
import dev.switchboard.instrumentation.PublishContext;
import dev.switchboard.instrumentation.PublishObservation;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Several observers as one: each is told in order, scopes close in reverse, and a broken one is ignored. */
class ObserversTest {
    private final List<String> told = new CopyOnWriteArrayList<>();

    @Test
    void nobodyListeningIsDisabled() {
        assertThat(Observers.of(List.of()).enabled()).isFalse();
        assertThat(Observers.none().enabled()).isFalse();
    }

    @Test
    void eachObserverIsToldInOrderAndScopesCloseInReverse() {
        Observers observers = Observers.of(List.of(named("a"), named("b")));

        ProcessObservation observation = observers.processStarted(DELIVERY);
        ProcessObservation.Scope scope = Observers.makeCurrent(observation);
        Observers.close(scope);
        Observers.handlerEnded(observation, null);
        Observers.settled(observation, Outcome.acked());

        assertThat(told).containsExactly("a start", "b start", "a scope", "b scope", "b close", "a close", "a end",
                "b end", "a ACKED", "b ACKED");
    }

    @Test
    void anObserverThatThrowsIsIgnoredAndTheOthersAreStillTold() {
        Instrumentation broken = new Instrumentation() {
            @Override
            public ProcessObservation processStarted(DeliveryContext delivery) {
                throw new IllegalStateException("observer bug");
            }

            @Override
            public void settledWithoutHandler(DeliveryContext delivery, Outcome outcome) {
                throw new IllegalStateException("observer bug");
            }
        };
        Observers observers = Observers.of(List.of(broken, named("b")));

        ProcessObservation observation = observers.processStarted(DELIVERY);
        Observers.settled(observation, Outcome.acked());
        observers.settledWithoutHandler(DELIVERY, Outcome.duplicate());

        assertThat(told).containsExactly("b start", "b ACKED", "b unhandled DUPLICATE");
        assertThat(Observers.of(List.of(broken)).processStarted(DELIVERY)).isSameAs(ProcessObservation.NONE);
    }

    @Test
    void observersThatObserveNothingAreLeftOutOfTheFanOut() {
        Instrumentation silent = new Instrumentation() {
        };
        Observers observers = Observers.of(List.of(silent, named("b"), silent));

        ProcessObservation observation = observers.processStarted(DELIVERY);
        Observers.close(Observers.makeCurrent(observation));
        Observers.settled(observation, Outcome.acked());

        assertThat(told).containsExactly("b start", "b scope", "b close", "b ACKED");
        Observers nobody = Observers.of(List.of(silent, silent));
        assertThat(nobody.processStarted(DELIVERY)).isSameAs(ProcessObservation.NONE);
        assertThat(nobody.publishStarted(PUBLISH)).isSameAs(PublishObservation.NONE);
    }

    private static final PublishContext PUBLISH = new PublishContext() {
        @Override
        public String system() {
            return "test";
        }

        @Override
        public String topic() {
            return "orders";
        }

        @Override
        public EventEnvelope envelope() {
            return DELIVERY.envelope();
        }

        @Override
        public void setExtension(String name, String value) {
        }
    };

    private Instrumentation named(String name) {
        return new Instrumentation() {
            @Override
            public ProcessObservation processStarted(DeliveryContext delivery) {
                told.add(name + " start");
                return new ProcessObservation() {
                    @Override
                    public Scope makeCurrent() {
                        told.add(name + " scope");
                        return () -> told.add(name + " close");
                    }

                    @Override
                    public void handlerEnded(Throwable failure) {
                        told.add(name + " end");
                    }

                    @Override
                    public void settled(Outcome outcome) {
                        told.add(name + " " + outcome.kind());
                    }
                };
            }

            @Override
            public void settledWithoutHandler(DeliveryContext delivery, Outcome outcome) {
                told.add(name + " unhandled " + outcome.kind());
            }
        };
    }

    private static final DeliveryContext DELIVERY = new DeliveryContext() {
        private final EventEnvelope envelope = EventEnvelope.builder().id("e-1").type("t").data("x").build();

        @Override
        public String system() {
            return "test";
        }

        @Override
        public String transportId() {
            return "0@1";
        }

        @Override
        public EventEnvelope envelope() {
            return envelope;
        }

        @Override
        public String topic() {
            return "orders";
        }

        @Override
        public String group() {
            return "billing";
        }

        @Override
        public int attempt() {
            return 1;
        }

        @Override
        public int maxAttempts() {
            return 3;
        }
    };
}
