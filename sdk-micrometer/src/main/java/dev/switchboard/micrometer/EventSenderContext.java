package dev.switchboard.micrometer;

import dev.switchboard.PublishResult;
import dev.switchboard.instrumentation.PropagationFields;
import dev.switchboard.instrumentation.PublishContext;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.SenderContext;
import java.util.Optional;

/**
 * The context of the observation of one publish (a producer span). Its carrier is the event being published: a
 * propagating handler (micrometer-tracing's) writes {@code traceparent} and {@code tracestate} through the setter
 * as CloudEvents extensions, which travel with the event on every broker. The carrier can be written only while
 * the observation starts, on the publishing thread; everything else here stays valid.
 *
 * <p>A propagation field whose name is no valid extension name is carried under the name lower-cased with
 * everything but letters and digits dropped ({@code X-B3-TraceId} as {@code xb3traceid}); the receiving side
 * reads it the same way.
 *
 * @since 0.2
 */
public class EventSenderContext extends SenderContext<PublishContext> {
    private final String system;
    private final String topic;
    private final String eventType;
    private final String eventTypeTag;
    private final String eventId;
    private volatile PublishResult result;

    /**
     * @param publish the publish, the carrier
     * @param eventTypeTag the event type as a low-cardinality value: the type, or {@code _other} past the limit
     */
    public EventSenderContext(PublishContext publish, String eventTypeTag) {
        super(EventSenderContext::inject, Kind.PRODUCER);
        setCarrier(publish);
        this.system = publish.system();
        this.topic = publish.topic();
        this.eventType = publish.envelope().type();
        this.eventTypeTag = eventTypeTag;
        this.eventId = publish.envelope().id();
        setRemoteServiceName(system);
    }

    private static void inject(PublishContext carrier, String key, String value) {
        String name = PropagationFields.extensionName(key);
        if (carrier != null && value != null && name != null) {
            try {
                carrier.setExtension(name, value);
            } catch (IllegalArgumentException reservedName) {
                // a propagation field named like a CloudEvents core attribute (id, source, …) cannot travel as an
                // extension; it is left out rather than failing the observation's start
            }
        }
    }

    /** The messaging system, such as {@code kafka}. */
    public String system() {
        return system;
    }

    public String topic() {
        return topic;
    }

    /** The event type as published: unbounded, so not a low-cardinality value; see {@link #eventTypeTag()}. */
    public String eventType() {
        return eventType;
    }

    /** The event type, or {@code _other} once the limit of distinct types is reached. */
    public String eventTypeTag() {
        return eventTypeTag;
    }

    /** The CloudEvents id of the event. */
    public String eventId() {
        return eventId;
    }

    /** The broker's confirmation, once the publish succeeded. */
    public Optional<PublishResult> result() {
        return Optional.ofNullable(result);
    }

    void result(PublishResult result) {
        this.result = result;
    }
}
