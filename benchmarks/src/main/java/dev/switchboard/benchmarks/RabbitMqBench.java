package dev.switchboard.benchmarks;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import java.io.IOException;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * RabbitMQ: the topology Switchboard makes (a durable topic exchange per topic, a durable quorum queue with single
 * active consumer bound with {@code #}), persistent messages published with {@code mandatory}, async publisher
 * confirms with at most 1000 outstanding, one consumer with manual acks (one {@code basic.ack} per message) and
 * prefetch 250. Switchboard consumes with concurrency 1 × prefetch 250: one handler thread, like the raw
 * client's single dispatch thread, and the same {@code basic.qos}. The instrumented Switchboard side uses the
 * same settings on a topic of its own.
 */
final class RabbitMqBench {
    static final int PREFETCH = 250;
    static final int MAX_OUTSTANDING = 1000;

    private RabbitMqBench() {
    }

    /** amqp-client reads a bare trailing slash as the empty virtual host; Switchboard (and the AMQP URI spec's
     *  common reading) mean the default one. */
    static ConnectionFactory factory(String uri) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(uri.matches("amqps?://[^/]+/") ? uri.substring(0, uri.length() - 1) : uri);
        return factory;
    }

    /** The topology every side uses: durable topic exchange → quorum queue, single active consumer, bound {@code #}. */
    static void declare(Channel channel, String exchange, String queue) throws IOException {
        channel.exchangeDeclare(exchange, BuiltinExchangeType.TOPIC, true);
        channel.queueDeclare(queue, true, false, false, Map.of("x-queue-type", "quorum",
                "x-single-active-consumer", true));
        channel.queueBind(queue, exchange, "#");
    }

    /**
     * The typed path ({@code --typed}): every side serialises a {@link BenchEvent} with Jackson on publish and
     * deserialises it in the handler — the raw client with an ObjectMapper, Switchboard with
     * {@code publish(topic, event)} and {@code on(BenchEvent.class, …)}, Spring AMQP with its Jackson converter.
     */
    static Side[] typedSides(String uri, String run) throws Exception {
        Map<String, String> sb = Map.of(
                "switchboard.broker", "rabbitmq",
                "switchboard.service-name", "bench",
                "switchboard.rabbitmq.uri", uri);
        Raw raw = new Raw(uri, run + "-raw", run + "-raw.raw", false);
        raw.typed = true;
        Raw rawWithHeaders = new Raw(uri, run + "-rawce", run + "-rawce.raw", true);
        rawWithHeaders.typed = true;
        SwitchboardSide switchboard = new SwitchboardSide(sb, run + "-sb", "sb", 1, PREFETCH, MAX_OUTSTANDING);
        switchboard.typed = true;
        return new Side[] {raw, rawWithHeaders, switchboard,
                new SpringRabbitSide(uri, run + "-spring", run + "-spring.spring")};
    }

    static Side[] sides(String uri, String run) throws Exception {
        Map<String, String> sb = Map.of(
                "switchboard.broker", "rabbitmq",
                "switchboard.service-name", "bench",
                "switchboard.rabbitmq.uri", uri);
        return new Side[] {new Raw(uri, run + "-raw", run + "-raw.raw", false),
                new Raw(uri, run + "-rawce", run + "-rawce.raw", true),
                new SwitchboardSide(sb, run + "-sb", "sb", 1, PREFETCH, MAX_OUTSTANDING),
                new SwitchboardSide(sb, run + "-sbi", "sb", 1, PREFETCH, MAX_OUTSTANDING, new Observability())};
    }

    /** Deletes the run's queues and exchanges (Switchboard's group and dead-letter queues included). */
    static void cleanUp(String uri, String run) throws Exception {
        try (Connection connection = factory(uri).newConnection("bench-cleanup")) {
            for (String queue : List.of(run + "-raw.raw", run + "-rawce.raw", run + "-sb.sb", run + "-sb.sb.dlq",
                    run + "-sbi.sb", run + "-sbi.sb.dlq", run + "-spring.spring")) {
                try (Channel channel = connection.createChannel()) {
                    channel.queueDelete(queue);
                } catch (IOException | RuntimeException e) {
                    // not made in this mode
                }
            }
            for (String exchange : List.of(run + "-raw", run + "-rawce", run + "-sb", run + "-sbi", run + "-spring")) {
                try (Channel channel = connection.createChannel()) {
                    channel.exchangeDelete(exchange);
                } catch (IOException | RuntimeException e) {
                    // not made in this mode
                }
            }
        }
        System.out.println("[rabbitmq] deleted the run's queues and exchanges");
    }

    /**
     * The raw client. With {@code cloudEventsHeaders} it also writes what a hand-written CloudEvents publisher
     * would, as Switchboard does: {@code cloudEvents:} headers for specversion, a random-UUID id (also the
     * message-id), source, type and time (also the timestamp); its consumer reads every header as text.
     */
    static final class Raw extends Side {
        private static final AMQP.BasicProperties PROPERTIES = new AMQP.BasicProperties.Builder()
                .contentType("application/json").deliveryMode(2).build();
        private final boolean cloudEventsHeaders;
        private final Connection connection;
        private final Channel publishing;
        private final String exchange;
        private final String queue;
        private final ConcurrentNavigableMap<Long, Runnable> unconfirmed = new ConcurrentSkipListMap<>();
        /** The typed path: the body is a {@link BenchEvent} written and read with an ObjectMapper. */
        boolean typed;
        private final com.fasterxml.jackson.databind.ObjectMapper mapper = BenchEvent.mapper();

        Raw(String uri, String exchange, String queue, boolean cloudEventsHeaders) throws Exception {
            this.cloudEventsHeaders = cloudEventsHeaders;
            this.connection = factory(uri).newConnection("bench-raw");
            this.exchange = exchange;
            this.queue = queue;
            this.publishing = connection.createChannel();
            declare(publishing, exchange, queue);
            publishing.confirmSelect();
            publishing.addConfirmListener((tag, multiple) -> settle(tag, multiple, false),
                    (tag, multiple) -> settle(tag, multiple, true));
        }

        private void settle(long tag, boolean multiple, boolean failed) {
            Map<Long, Runnable> done = multiple ? unconfirmed.headMap(tag, true) : unconfirmed.subMap(tag, true, tag, true);
            for (Runnable r : done.values()) {
                if (failed) {
                    errors.incrementAndGet();
                }
                r.run();
            }
            done.clear();
        }

        @Override
        String name() {
            return cloudEventsHeaders ? RAW_WITH_CE_HEADERS : "raw";
        }

        private AMQP.BasicProperties properties() {
            if (!cloudEventsHeaders) {
                return PROPERTIES;
            }
            String id = UUID.randomUUID().toString();
            Instant now = Instant.now();
            Map<String, Object> headers = new HashMap<>();
            headers.put("cloudEvents:specversion", "1.0");
            headers.put("cloudEvents:id", id);
            headers.put("cloudEvents:source", "/bench");
            headers.put("cloudEvents:type", SwitchboardSide.TYPE);
            headers.put("cloudEvents:time", now.toString());
            return PROPERTIES.builder().messageId(id).timestamp(Date.from(now)).headers(headers).build();
        }

        /** What any CloudEvents reader does at least: every header's name and value as text. */
        private void readHeaders(AMQP.BasicProperties properties) {
            int length = 0;
            for (Map.Entry<String, Object> header : properties.getHeaders().entrySet()) {
                length += header.getKey().length() + header.getValue().toString().length();
            }
            if (length == 0) {
                errors.incrementAndGet();
            }
        }

        @Override
        int maxOutstanding() {
            return MAX_OUTSTANDING;
        }

        @Override
        void send(long seq, Runnable done) throws IOException {
            byte[] body = typed ? mapper.writeValueAsBytes(BenchEvent.of(seq)) : EventBytes.make(seq);
            AMQP.BasicProperties properties = properties();
            synchronized (publishing) {
                unconfirmed.put(publishing.getNextPublishSeqNo(), done);
                publishing.basicPublish(exchange, SwitchboardSide.TYPE, true, properties, body);
            }
        }

        @Override
        Running consume(Sink sink) throws IOException {
            Channel channel = connection.createChannel();
            channel.basicQos(PREFETCH);
            String tag = channel.basicConsume(queue, false, new DefaultConsumer(channel) {
                @Override
                public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties,
                                           byte[] body) throws IOException {
                    if (cloudEventsHeaders) {
                        readHeaders(properties);
                    }
                    if (typed) {
                        BenchEvent event = mapper.readValue(body, BenchEvent.class);
                        sink.onEvent(event.seq(), event.ts());
                    } else {
                        sink.onEvent(EventBytes.seq(body), EventBytes.ts(body));
                    }
                    channel.basicAck(envelope.getDeliveryTag(), false);
                }
            });
            return () -> {
                channel.basicCancel(tag);
                channel.close();
            };
        }

        @Override
        public void close() throws Exception {
            connection.close();
        }
    }
}
