package dev.switchboard.benchmarks;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.kafka.support.serializer.JsonDeserializer;
import org.springframework.kafka.support.serializer.JsonSerializer;

/**
 * The peer on Kafka (issue 13): Spring for Apache Kafka as a Spring Boot application would set it up, built
 * programmatically (no application context; the factories and the container are what Boot's auto-configuration
 * and {@code @KafkaListener} create). Typed path only: a {@link KafkaTemplate} over a
 * {@link DefaultKafkaProducerFactory} with the raw producer's settings (acks=all, idempotent, linger.ms=5,
 * batch.size=65536) and Spring's Jackson {@link JsonSerializer} (no type headers, Jackson 2 like the rest of the
 * project); publish = {@code template.send(topic, event)}, counted when its future completes, with the same bound
 * on outstanding sends as the other sides. Consume: a {@link ConcurrentMessageListenerContainer} with
 * concurrency 1, {@code AckMode.BATCH} with async commits ({@code syncCommits=false}), max.poll.records 500, the
 * value read by Spring's {@link JsonDeserializer} into a {@link BenchEvent} and handed to a record
 * {@link MessageListener} (what a {@code @KafkaListener} method taking the record would get, without the
 * reflective adapter).
 */
@SuppressWarnings({"deprecation", "removal"})
final class SpringKafkaSide extends Side {
    static final String NAME = "spring";

    private final String bootstrap;
    private final String topic;
    private final String group;
    private final DefaultKafkaProducerFactory<String, BenchEvent> producerFactory;
    private final KafkaTemplate<String, BenchEvent> template;

    SpringKafkaSide(String bootstrap, String topic, String group) {
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.group = group;
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 65536);
        this.producerFactory = new DefaultKafkaProducerFactory<>(p, new StringSerializer(),
                new JsonSerializer<BenchEvent>(BenchEvent.mapper()).noTypeInfo());
        this.template = new KafkaTemplate<>(producerFactory);
    }

    @Override
    String name() {
        return NAME;
    }

    @Override
    int maxOutstanding() {
        return KafkaBench.MAX_OUTSTANDING;
    }

    @Override
    void send(long seq, Runnable done) {
        template.send(topic, BenchEvent.of(seq)).whenComplete((result, error) -> {
            if (error != null) {
                errors.incrementAndGet();
            }
            done.run();
        });
    }

    @Override
    Running consume(Sink sink) {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, KafkaBench.MAX_POLL_RECORDS);
        DefaultKafkaConsumerFactory<String, BenchEvent> consumerFactory = new DefaultKafkaConsumerFactory<>(p,
                new StringDeserializer(), new JsonDeserializer<>(BenchEvent.class, BenchEvent.mapper(), false));
        ContainerProperties properties = new ContainerProperties(topic);
        properties.setGroupId(group);
        properties.setAckMode(ContainerProperties.AckMode.BATCH);
        properties.setSyncCommits(false);
        properties.setMessageListener((MessageListener<String, BenchEvent>) record -> {
            BenchEvent event = record.value();
            sink.onEvent(event.seq(), event.ts());
        });
        ConcurrentMessageListenerContainer<String, BenchEvent> container =
                new ConcurrentMessageListenerContainer<>(consumerFactory, properties);
        container.setConcurrency(1);
        container.setBeanName("bench-spring-kafka");
        container.start();
        return container::stop;
    }

    @Override
    public void close() {
        template.destroy();
        producerFactory.destroy();
    }
}
