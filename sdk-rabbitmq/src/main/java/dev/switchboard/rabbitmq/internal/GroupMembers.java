package dev.switchboard.rabbitmq.internal;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live members of a partitioned group, and which partitions this one owns. Every member announces itself every
 * {@link #HEARTBEAT} on the group's fanout exchange (a transient message carrying its id) and hears the others on an
 * exclusive queue of its own; a member not heard for {@link #EXPIRY} is gone. Partition {@code p} belongs to the
 * {@code (p mod n)}-th of the {@code n} live members sorted by id, so every member computes the same owners without
 * more talk. Ownership only spreads the load: which member consumes a partition at any moment is the broker's single
 * active consumer's decision, so a view that lags behind never puts two consumers on one partition. A view is
 * {@linkplain #settled() settled} once it has not changed for {@link #SETTLE}, two heartbeats: by then a member that
 * joined has been heard by all and has heard all, and a member that died (whose last heartbeat all heard at once) has
 * been dropped by all. Thread-safe.
 */
final class GroupMembers implements AutoCloseable {
    static final Duration HEARTBEAT = Duration.ofSeconds(1);
    static final Duration EXPIRY = Duration.ofMillis(3500);
    static final Duration SETTLE = HEARTBEAT.multipliedBy(2);
    private static final Logger log = LoggerFactory.getLogger(GroupMembers.class);

    private final ConnectionManager connections;
    private final String exchange;
    private final String id = UUID.randomUUID().toString();
    private final Map<String, Long> lastHeard = new ConcurrentHashMap<>();
    private final ScheduledFuture<?> beat;
    private volatile Channel channel;
    private volatile boolean closed;
    private Set<String> view = Set.of();
    private long viewSince = System.nanoTime();

    GroupMembers(ConnectionManager connections, String exchange, ScheduledExecutorService scheduler) {
        this.connections = connections;
        this.exchange = exchange;
        listen();
        this.beat = scheduler.scheduleAtFixedRate(this::announce, 0, HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The partitions of {@code partitions} this member owns among the members heard within {@link #EXPIRY}. */
    synchronized Set<Integer> owned(int partitions) {
        return owned(live(), id, partitions);
    }

    /** Whether the live members have been the same for at least {@link #SETTLE}, so that every member agrees on them. */
    synchronized boolean settled() {
        live();
        return System.nanoTime() - viewSince >= SETTLE.toNanos();
    }

    /** The members heard within {@link #EXPIRY}; notes when that set last changed. */
    private Set<String> live() {
        long now = System.nanoTime();
        Set<String> members = lastHeard.entrySet().stream().filter(e -> now - e.getValue() < EXPIRY.toNanos())
                .map(Map.Entry::getKey).collect(Collectors.toCollection(TreeSet::new));
        if (!members.equals(view)) {
            view = members;
            viewSince = now;
        }
        return members;
    }

    /** The partitions of {@code partitions} that member {@code self} owns among {@code members} (itself included or not). */
    static Set<Integer> owned(Set<String> members, String self, int partitions) {
        TreeSet<String> all = new TreeSet<>(members);
        all.add(self);
        List<String> sorted = List.copyOf(all);
        int index = sorted.indexOf(self);
        Set<Integer> owned = new TreeSet<>();
        for (int partition = 0; partition < partitions; partition++) {
            if (partition % sorted.size() == index) {
                owned.add(partition);
            }
        }
        return owned;
    }

    private void listen() {
        try {
            Channel fresh = connections.openChannel();
            String inbox = Topology.declareInbox(fresh, exchange);
            fresh.basicConsume(inbox, true, new DefaultConsumer(fresh) {
                @Override
                public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
                    lastHeard.put(new String(body, StandardCharsets.UTF_8), System.nanoTime());
                }
            });
            channel = fresh;
        } catch (IOException | TimeoutException | RuntimeException e) {
            log.debug("{}: cannot listen to the group's members yet: {}", exchange, e.toString());
        }
    }

    /** Sends this member's heartbeat; listens again where the inbox was lost with its connection. */
    private void announce() {
        if (closed) {
            return;
        }
        Channel current = channel;
        if (current == null || !current.isOpen()) {
            listen();
            current = channel;
        }
        try {
            if (current != null && current.isOpen()) {
                current.basicPublish(exchange, "", null, id.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException | RuntimeException e) {
            log.debug("{}: heartbeat not sent: {}", exchange, e.toString());
        }
    }

    @Override
    public void close() {
        closed = true;
        beat.cancel(false);
        Topology.closeQuietly(channel);
    }
}
