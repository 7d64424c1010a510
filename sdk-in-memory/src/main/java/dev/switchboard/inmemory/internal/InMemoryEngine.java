package dev.switchboard.inmemory.internal;

import dev.switchboard.Connectivity;
import dev.switchboard.ErrorCode;
import dev.switchboard.EventEnvelope;
import dev.switchboard.MessagingException;
import dev.switchboard.spi.OutboundMessage;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The state of one in-memory broker: topics, each with one {@link GroupQueue} per group, and the
 * dead-letter queues. Publishing fans out to every group the topic has at that moment; a topic keeps
 * nothing for groups that do not exist yet (provision a group first). Thread-safe.
 *
 * <p>Messages are kept as the core sent them ({@link OutboundMessage}); the journal listener gets the events
 * they carry.
 *
 * <p>{@link #stop()} makes every operation fail with {@link ErrorCode#UNAVAILABLE} and takes back what was
 * in flight, as a broker restart would; {@link #start()} resumes with the queues intact (a durable broker).
 */
public final class InMemoryEngine {
    /** What the engine reports, for the test journal. Called on the publishing and settling threads. */
    public interface Listener {
        /** Listens to nothing: for a broker without a journal. */
        Listener NONE = new Listener() {
            @Override
            public void published(String topic, EventEnvelope envelope) {
            }

            @Override
            public void consumed(String topic, String group, EventEnvelope envelope) {
            }

            @Override
            public void deadLettered(String topic, String group, EventEnvelope deadLetter) {
            }
        };

        void published(String topic, EventEnvelope envelope);

        void consumed(String topic, String group, EventEnvelope envelope);

        void deadLettered(String topic, String group, EventEnvelope deadLetter);
    }

    private final String name;
    private final Listener listener;
    private final Map<String, Topic> topics = new ConcurrentHashMap<>();
    private final Map<String, GroupQueue> deadLetterQueues = new ConcurrentHashMap<>();
    private volatile boolean running = true;

    public InMemoryEngine(String name, Listener listener) {
        this.name = name;
        this.listener = listener;
    }

    public String name() {
        return name;
    }

    public Listener listener() {
        return listener;
    }

    public boolean isRunning() {
        return running;
    }

    public boolean hasTopic(String topic) {
        checkRunning();
        return topics.containsKey(topic);
    }

    public void createTopic(String topic) {
        checkRunning();
        topic(topic);
    }

    /** The queue of {@code group}, or null if the group was never created. */
    public GroupQueue existingGroup(String topic, String group) {
        checkRunning();
        Topic found = topics.get(topic);
        return found == null ? null : found.groups.get(group);
    }

    /** The queue of {@code group}, created with the topic where needed. */
    public GroupQueue group(String topic, String group) {
        checkRunning();
        return topic(topic).group(group);
    }

    public boolean hasDeadLetterQueue(String destination) {
        checkRunning();
        return deadLetterQueues.containsKey(destination);
    }

    public GroupQueue deadLetterQueue(String destination) {
        checkRunning();
        return deadLetterQueues.computeIfAbsent(destination, d -> new GroupQueue());
    }

    /** Appends to every group of the topic. */
    public void publish(String topic, OutboundMessage message) {
        checkRunning();
        for (GroupQueue queue : topic(topic).queues) {
            queue.offer(message);
        }
        if (listener != Listener.NONE) {
            listener.published(topic, eventOf(message));
        }
    }

    /** The event a message carries: the core always sends envelopes, which the in-memory broker keeps as they are. */
    public static EventEnvelope eventOf(OutboundMessage message) {
        return message.unwrap(EventEnvelope.class).orElseThrow(() -> new IllegalStateException(
                "the in-memory broker keeps the core's messages, which carry their event; got " + message));
    }

    public void stop() {
        running = false;
        allQueues().forEach(queue -> {
            queue.recoverInFlight();
            queue.wakeUp();
        });
    }

    public void start() {
        running = true;
    }

    /** Connected while running; a {@link #stop()} is the outage that {@code health()} reports. */
    public Connectivity connectivity() {
        return running ? Connectivity.CONNECTED : Connectivity.DISCONNECTED;
    }

    public void checkRunning() {
        if (!running) {
            throw new MessagingException(ErrorCode.UNAVAILABLE, "in-memory broker \"" + name + "\" is stopped");
        }
    }

    private Iterable<GroupQueue> allQueues() {
        java.util.List<GroupQueue> all = new java.util.ArrayList<>(deadLetterQueues.values());
        topics.values().forEach(found -> all.addAll(found.groups.values()));
        return all;
    }

    private Topic topic(String name) {
        Topic found = topics.get(name);
        return found != null ? found : topics.computeIfAbsent(name, n -> new Topic());
    }

    /**
     * One topic's groups, with an array of their queues that a publish walks (no map look-up or iterator per
     * event); replaced whenever a group is added.
     */
    private static final class Topic {
        final Map<String, GroupQueue> groups = new ConcurrentHashMap<>();
        volatile GroupQueue[] queues = new GroupQueue[0];

        GroupQueue group(String name) {
            GroupQueue queue = groups.get(name);
            if (queue != null) {
                return queue;
            }
            synchronized (this) {
                return groups.computeIfAbsent(name, g -> {
                    GroupQueue created = new GroupQueue();
                    GroupQueue[] grown = java.util.Arrays.copyOf(queues, queues.length + 1);
                    grown[grown.length - 1] = created;
                    queues = grown;
                    return created;
                });
            }
        }
    }
}
