package dev.switchboard.opentelemetry;

import dev.switchboard.EventEnvelope;
import dev.switchboard.instrumentation.DeliveryContext;
import dev.switchboard.instrumentation.PublishContext;

/** Hand-made inputs for the hook's callbacks, where a broker would add nothing to a test. */
final class Stubs {
    private Stubs() {
    }

    /** A publish that collects the extensions set on it, validated as the runtime validates them. */
    static final class Publish implements PublishContext {
        private final EventEnvelope envelope;
        private final EventEnvelope.Builder changed;
        int extensionsSet;

        Publish(EventEnvelope envelope) {
            this.envelope = envelope;
            this.changed = envelope.toBuilder();
        }

        @Override
        public String system() {
            return "in-memory";
        }

        @Override
        public String topic() {
            return "orders";
        }

        @Override
        public EventEnvelope envelope() {
            return envelope;
        }

        @Override
        public void setExtension(String name, String value) {
            changed.extension(name, value);
            extensionsSet++;
        }

        EventEnvelope sent() {
            return changed.build();
        }
    }

    /** A first delivery of {@code envelope} on {@code orders}/{@code billing}. */
    static DeliveryContext delivery(EventEnvelope envelope) {
        return new DeliveryContext() {
            @Override
            public String system() {
                return "in-memory";
            }

            @Override
            public String transportId() {
                return "orders@0";
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
                return 5;
            }
        };
    }
}
