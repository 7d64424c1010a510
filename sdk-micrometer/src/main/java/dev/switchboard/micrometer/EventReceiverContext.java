package dev.switchboard.micrometer;

import dev.switchboard.EventEnvelope;
import dev.switchboard.instrumentation.PropagationFields;
import dev.switchboard.instrumentation.DeliveryContext;
import dev.switchboard.instrumentation.Outcome;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;
import java.util.Optional;

/**
 * The context of the observation of one handler call (a consumer span). Its carrier is the envelope received: a
 * propagating handler (micrometer-tracing's) reads {@code traceparent} and {@code tracestate} from its CloudEvents
 * extensions through the getter, so the handler's span continues the publisher's trace. A field whose name is no
 * valid extension name is read under the name {@link EventSenderContext} writes it as.
 *
 * <p>Written on the handler's thread, then (for {@link #outcome()}) on whichever thread settles the delivery;
 * the runtime hands the delivery over between them.
 *
 * @since 0.2
 */
public class EventReceiverContext extends ReceiverContext<EventEnvelope> {
    private final String system;
    private final String topic;
    private final String group;
    private final String eventTypeTag;
    private final String transportId;
    private final int attempt;
    private final int maxAttempts;
    private volatile Outcome outcome;

    /**
     * @param delivery the delivery; only read here, as it is valid only until it is settled
     * @param eventTypeTag the event type as a low-cardinality value: the type, or {@code _other} past the limit
     */
    public EventReceiverContext(DeliveryContext delivery, String eventTypeTag) {
        super(EventReceiverContext::extract, Kind.CONSUMER);
        setCarrier(delivery.envelope());
        this.system = delivery.system();
        this.topic = delivery.topic();
        this.group = delivery.group();
        this.eventTypeTag = eventTypeTag;
        this.transportId = String.valueOf(delivery.transportId());
        this.attempt = delivery.attempt();
        this.maxAttempts = delivery.maxAttempts();
        setRemoteServiceName(system);
    }

    private static String extract(EventEnvelope carrier, String key) {
        String name = PropagationFields.extensionName(key);
        return carrier == null || name == null ? null : carrier.extensions().get(name);
    }

    /** The envelope received: attributes, extensions and payload bytes. */
    public EventEnvelope envelope() {
        return getCarrier();
    }

    /** The messaging system, such as {@code kafka}. */
    public String system() {
        return system;
    }

    public String topic() {
        return topic;
    }

    public String group() {
        return group;
    }

    /** The event type, or {@code _other} once the limit of distinct types is reached. */
    public String eventTypeTag() {
        return eventTypeTag;
    }

    /** The broker's id of the message. */
    public String transportId() {
        return transportId;
    }

    /** This delivery attempt, 1 for the first. */
    public int attempt() {
        return attempt;
    }

    /** The last attempt the retry policy allows. */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** How the delivery ended after this handler call; empty until it is settled. */
    public Optional<Outcome> outcome() {
        return Optional.ofNullable(outcome);
    }

    void outcome(Outcome outcome) {
        this.outcome = outcome;
    }
}
