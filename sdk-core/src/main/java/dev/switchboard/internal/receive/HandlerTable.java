package dev.switchboard.internal.receive;

import dev.switchboard.EnvelopeHandler;
import dev.switchboard.EventContext;
import dev.switchboard.EventEnvelope;
import dev.switchboard.EventHandler;
import dev.switchboard.PayloadCodec;
import dev.switchboard.Subscription;
import dev.switchboard.TypeRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** A subscription's handlers by event type, with the decoding each needs. Immutable after construction. */
final class HandlerTable {
    private final Map<String, Binding<?>> byType = new HashMap<>();
    /** The {@code onEnvelope} handler as an invocation, or null when there is none. */
    private final Invocation fallback;

    HandlerTable(Subscription subscription, TypeRegistry types) {
        for (Subscription.TypedHandler<?> handler : subscription.handlers()) {
            String type = handler.type() != null ? handler.type() : typeOf(handler.payloadClass(), types);
            if (byType.put(type, new Binding<>(handler)) != null) {
                throw new IllegalArgumentException("subscription " + subscription.topic() + "/" + subscription.group()
                        + " has two handlers for type \"" + type + "\"");
            }
        }
        this.fallback = subscription.envelopeHandler().map(HandlerTable::envelopeInvocation).orElse(null);
    }

    /** The event types the typed handlers take. */
    Set<String> types() {
        return Set.copyOf(byType.keySet());
    }

    /** The handler call for {@code envelope}, or null when no handler takes its type. */
    Invocation find(EventEnvelope envelope) {
        Binding<?> binding = byType.get(envelope.type());
        return binding != null ? binding : fallback;
    }

    private static Invocation envelopeInvocation(EnvelopeHandler handler) {
        return new Invocation() {
            @Override
            public Object decode(EventEnvelope e, PayloadCodec codec) {
                return e;
            }

            @Override
            public void invoke(Object payload, EventContext context) throws Exception {
                handler.handle((EventEnvelope) payload, context);
            }
        };
    }

    private static String typeOf(Class<?> payloadClass, TypeRegistry types) {
        if (payloadClass == byte[].class || payloadClass == String.class || payloadClass == EventEnvelope.class) {
            throw new IllegalArgumentException("a handler of " + payloadClass.getSimpleName()
                    + " needs an explicit event type: use on(type, " + payloadClass.getSimpleName() + ".class, handler)");
        }
        return types.typeOf(payloadClass);
    }

    /** Decoding and calling one handler. */
    interface Invocation {
        Object decode(EventEnvelope envelope, PayloadCodec codec) throws Exception;

        void invoke(Object payload, EventContext context) throws Exception;
    }

    private static final class Binding<T> implements Invocation {
        private final Class<T> payloadClass;
        private final EventHandler<? super T> handler;

        Binding(Subscription.TypedHandler<T> typed) {
            this.payloadClass = typed.payloadClass();
            this.handler = typed.handler();
        }

        @Override
        public Object decode(EventEnvelope envelope, PayloadCodec codec) throws Exception {
            if (payloadClass == EventEnvelope.class) {
                return envelope;
            }
            if (payloadClass == byte[].class) {
                return envelope.data();
            }
            if (payloadClass == String.class) {
                return envelope.dataAsString();
            }
            return codec.decode(envelope.data(), payloadClass);
        }

        @Override
        public void invoke(Object payload, EventContext context) throws Exception {
            handler.handle(payloadClass.cast(payload), context);
        }
    }
}
