package dev.switchboard.benchmarks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Kafka: producer acks=all, idempotent, linger.ms=5, batch.size=65536 (Switchboard's defaults, set explicitly on
 * the raw producer), 3 partitions, no record key; consumers in a group of their own that commit what they
 * handled after each poll and read at most 500 records per poll (the raw default; Switchboard concurrency 1 ×
 * prefetch 500 gives the same max.poll.records).
 */
final class KafkaBench {
    static final int PARTITIONS = 3;
    static final int MAX_POLL_RECORDS = 500;
    /** Both sides: at most this many unconfirmed sends (the producer's 32 MiB buffer would hold ~30 000). */
    static final int MAX_OUTSTANDING = 20_000;

    private KafkaBench() {
    }

    /**
     * The typed path ({@code --typed}): every side serialises a {@link BenchEvent} with Jackson on publish and
     * deserialises it in the handler — the raw client with an ObjectMapper, Switchboard with
     * {@code publish(topic, event)} and {@code on(BenchEvent.class, …)}, Spring for Apache Kafka with its
     * {@code JsonSerializer} / {@code JsonDeserializer}.
     */
    static Side[] typedSides(String bootstrap, String run) throws Exception {
        createTopics(bootstrap, run, "-raw", "-rawce", "-spring");
        Map<String, String> sb = switchboardConfig(bootstrap);
        Raw raw = new Raw(bootstrap, run + "-raw", "raw-" + run, false);
        raw.typed = true;
        Raw rawWithHeaders = new Raw(bootstrap, run + "-rawce", "rawce-" + run, true);
        rawWithHeaders.typed = true;
        SwitchboardSide switchboard = new SwitchboardSide(sb, run + "-sb", "sb-" + run, 1, MAX_POLL_RECORDS, MAX_OUTSTANDING);
        switchboard.typed = true;
        return new Side[] {raw, rawWithHeaders, switchboard, new SpringKafkaSide(bootstrap, run + "-spring", "spring-" + run)};
    }

    static Side[] sides(String bootstrap, String run) throws Exception {
        createTopics(bootstrap, run, "-raw", "-rawce", "-rawtp");
        Map<String, String> sb = switchboardConfig(bootstrap);
        Raw withTraceParent = new Raw(bootstrap, run + "-rawtp", "rawtp-" + run, true);
        withTraceParent.traceParent = true;
        return new Side[] {new Raw(bootstrap, run + "-raw", "raw-" + run, false),
                new Raw(bootstrap, run + "-rawce", "rawce-" + run, true), withTraceParent,
                new SwitchboardSide(sb, run + "-sb", "sb-" + run, 1, MAX_POLL_RECORDS, MAX_OUTSTANDING),
                new SwitchboardSide(sb, run + "-sbi", "sbi-" + run, 1, MAX_POLL_RECORDS, MAX_OUTSTANDING,
                        new Observability())};
    }

    /** Creates the raw and peer sides' topics, {@code run} + each suffix (Switchboard creates its own). */
    private static void createTopics(String bootstrap, String run, String... suffixes) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(java.util.Arrays.stream(suffixes)
                    .map(suffix -> new NewTopic(run + suffix, PARTITIONS, (short) 1)).toList()).all().get();
        }
    }

    /**
     * The Switchboard sides' configuration; {@code -Dbench.kafka.event-time=record-timestamp} sets
     * {@code switchboard.kafka.event-time} (an experiment: the results then say so in the harness output only).
     */
    private static Map<String, String> switchboardConfig(String bootstrap) {
        Map<String, String> config = new java.util.HashMap<>(Map.of(
                "switchboard.broker", "kafka",
                "switchboard.service-name", "bench",
                "switchboard.kafka.bootstrap-servers", bootstrap,
                "switchboard.kafka.topic.partitions", String.valueOf(PARTITIONS)));
        String eventTime = System.getProperty("bench.kafka.event-time");
        if (eventTime != null) {
            config.put("switchboard.kafka.event-time", eventTime);
            System.out.println("[kafka] Switchboard sides with switchboard.kafka.event-time=" + eventTime);
        }
        return Map.copyOf(config);
    }

    /** Deletes the run's topics (dead-letter topic included) and consumer groups. */
    static void cleanUp(String bootstrap, String run) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            Set<String> topics = admin.listTopics().names().get().stream().filter(t -> t.startsWith(run))
                    .collect(Collectors.toSet());
            if (!topics.isEmpty()) {
                admin.deleteTopics(topics).all().get();
            }
            try {
                admin.deleteConsumerGroups(List.of("raw-" + run, "rawce-" + run, "rawtp-" + run, "sb-" + run, "sbi-" + run, "spring-" + run))
                        .all().get();
            } catch (Exception e) {
                // a group that never committed does not exist
            }
            System.out.println("[kafka] deleted topics " + topics + " and the run's consumer groups");
        }
    }

    /**
     * The raw client. With {@code cloudEventsHeaders} it also writes what a hand-written CloudEvents producer
     * would (binary mode: {@code ce_specversion}, a random UUID {@code ce_id}, {@code ce_source}, {@code ce_type},
     * {@code ce_time}, {@code content-type}) — Switchboard's wire format without Switchboard, to separate what the
     * format costs the client and broker from what the SDK costs. Its consumer reads every header as text, the
     * least a CloudEvents reader does. With {@link #traceParent} as well, each record also carries a W3C
     * {@code ce_traceparent} (a new trace and span id per record, sampled), as the instrumented Switchboard side's
     * records do: what carrying the trace context costs the client and the broker, without any tracing library.
     */
    static final class Raw extends Side {
        private static final byte[] SPEC_VERSION = "1.0".getBytes(StandardCharsets.UTF_8);
        private static final byte[] SOURCE = "/bench".getBytes(StandardCharsets.UTF_8);
        private static final byte[] TYPE = SwitchboardSide.TYPE.getBytes(StandardCharsets.UTF_8);
        private static final byte[] JSON = "application/json".getBytes(StandardCharsets.UTF_8);

        private final String bootstrap;
        private final String topic;
        private final String group;
        private final boolean cloudEventsHeaders;
        private final KafkaProducer<String, byte[]> producer;
        /** The typed path: the value is a {@link BenchEvent} written and read with an ObjectMapper. */
        boolean typed;
        /** With the CloudEvents headers, a {@code ce_traceparent} per record too. */
        boolean traceParent;
        private final com.fasterxml.jackson.databind.ObjectMapper mapper = BenchEvent.mapper();

        Raw(String bootstrap, String topic, String group, boolean cloudEventsHeaders) {
            this.bootstrap = bootstrap;
            this.topic = topic;
            this.group = group;
            this.cloudEventsHeaders = cloudEventsHeaders;
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
            p.put(ProducerConfig.BATCH_SIZE_CONFIG, 65536);
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
            p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
            this.producer = new KafkaProducer<>(p);
        }

        @Override
        String name() {
            return traceParent ? Side.RAW_WITH_TRACEPARENT : cloudEventsHeaders ? Side.RAW_WITH_CE_HEADERS : "raw";
        }

        @Override
        int maxOutstanding() {
            return MAX_OUTSTANDING;
        }

        @Override
        void send(long seq, Runnable done) {
            producer.send(record(seq), (metadata, error) -> {
                if (error != null) {
                    errors.incrementAndGet();
                }
                done.run();
            });
        }

        private ProducerRecord<String, byte[]> record(long seq) {
            byte[] value;
            try {
                value = typed ? mapper.writeValueAsBytes(BenchEvent.of(seq)) : EventBytes.make(seq);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, value);
            if (cloudEventsHeaders) {
                record.headers()
                        .add("ce_specversion", SPEC_VERSION)
                        .add("ce_id", UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8))
                        .add("ce_source", SOURCE)
                        .add("ce_type", TYPE)
                        .add("ce_time", Instant.now().toString().getBytes(StandardCharsets.UTF_8))
                        .add("content-type", JSON);
                if (traceParent) {
                    record.headers().add("ce_traceparent", traceParent(seq));
                }
            }
            return record;
        }

        /**
         * A W3C {@code traceparent} ({@code 00-<trace id>-<span id>-01}) with ids as random as a tracer's: the
         * thread-local random generator, as the OpenTelemetry SDK's id generator uses.
         */
        private static byte[] traceParent(long seq) {
            java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
            StringBuilder s = new StringBuilder(55).append("00-");
            hex(s, random.nextLong()).append(hex(new StringBuilder(16), random.nextLong() ^ seq)).append('-');
            hex(s, random.nextLong()).append("-01");
            return s.toString().getBytes(StandardCharsets.US_ASCII);
        }

        private static StringBuilder hex(StringBuilder s, long value) {
            String digits = Long.toHexString(value);
            for (int i = digits.length(); i < 16; i++) {
                s.append('0');
            }
            return s.append(digits);
        }

        /** What any binary-mode CloudEvents reader does at least: every header's name and value as text. */
        private void readHeaders(ConsumerRecord<String, byte[]> record) {
            int length = 0;
            for (Header header : record.headers()) {
                length += header.key().length() + new String(header.value(), StandardCharsets.UTF_8).length();
            }
            if (length == 0) {
                errors.incrementAndGet();
            }
        }

        @Override
        Running consume(Sink sink) {
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_POLL_RECORDS);
            p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
            p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
            KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p);
            consumer.subscribe(List.of(topic));
            AtomicBoolean running = new AtomicBoolean(true);
            Thread thread = new Thread(() -> {
                try {
                    while (running.get()) {
                        var records = consumer.poll(Duration.ofMillis(100));
                        for (ConsumerRecord<String, byte[]> record : records) {
                            if (cloudEventsHeaders) {
                                readHeaders(record);
                            }
                            if (typed) {
                                BenchEvent event = mapper.readValue(record.value(), BenchEvent.class);
                                sink.onEvent(event.seq(), event.ts());
                            } else {
                                sink.onEvent(EventBytes.seq(record.value()), EventBytes.ts(record.value()));
                            }
                        }
                        if (!records.isEmpty()) {
                            consumer.commitAsync();
                        }
                    }
                } catch (WakeupException e) {
                    // stopping
                } catch (java.io.IOException e) {
                    errors.incrementAndGet();
                    throw new java.io.UncheckedIOException(e);
                } finally {
                    try {
                        consumer.commitSync();
                    } catch (RuntimeException e) {
                        // nothing to commit, or stopping
                    }
                    consumer.close(Duration.ofSeconds(5));
                }
            }, "raw-kafka-consumer");
            thread.start();
            return () -> {
                running.set(false);
                thread.join();
            };
        }

        @Override
        public void close() {
            producer.close(Duration.ofSeconds(10));
        }
    }
}
