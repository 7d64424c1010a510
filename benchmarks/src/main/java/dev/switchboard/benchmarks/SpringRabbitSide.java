package dev.switchboard.benchmarks;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.MessageListener;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.amqp.support.converter.Jackson2JsonMessageConverter;

/**
 * The peer on RabbitMQ (issue 13): Spring AMQP built programmatically (no application context), typed path
 * only. The same topology as the raw side (durable topic exchange → quorum queue with single active consumer,
 * bound {@code #}). Publish: a {@link RabbitTemplate} over a {@link CachingConnectionFactory} with
 * {@code ConfirmType.CORRELATED} and returns, {@code mandatory}, persistent messages (Spring's default), the
 * event written by a {@link Jackson2JsonMessageConverter} (Jackson 2, like the rest of the project; it adds
 * Spring's {@code __TypeId__} header); {@code convertAndSend(exchange, type, event, correlation)} per event,
 * counted when the correlation's confirm arrives, at most 1000 outstanding like the raw side. Consume: a
 * {@link SimpleMessageListenerContainer}, one consumer, prefetch 250, {@code AcknowledgeMode.AUTO} (the container
 * acks after the listener returns, one ack per message: batch size 1), the body read into a {@link BenchEvent}
 * by the same converter in a {@link MessageListener}.
 */
@SuppressWarnings({"deprecation", "removal"})
final class SpringRabbitSide extends Side {
    static final String NAME = "spring";

    private final CachingConnectionFactory connectionFactory;
    private final RabbitTemplate template;
    private final Jackson2JsonMessageConverter converter;
    private final String exchange;
    private final String queue;

    SpringRabbitSide(String uri, String exchange, String queue) throws Exception {
        this.exchange = exchange;
        this.queue = queue;
        try (Connection connection = RabbitMqBench.factory(uri).newConnection("bench-spring-declare");
             Channel channel = connection.createChannel()) {
            RabbitMqBench.declare(channel, exchange, queue);
        }
        com.rabbitmq.client.ConnectionFactory rabbit = RabbitMqBench.factory(uri);
        rabbit.setAutomaticRecoveryEnabled(false); // Spring AMQP recovers on its own (and would turn it off, with a warning)
        this.connectionFactory = new CachingConnectionFactory(rabbit);
        connectionFactory.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
        connectionFactory.setPublisherReturns(true);
        this.converter = new Jackson2JsonMessageConverter(BenchEvent.mapper(), "dev.switchboard.benchmarks");
        this.template = new RabbitTemplate(connectionFactory);
        template.setMessageConverter(converter);
        template.setMandatory(true);
        template.setReturnsCallback(returned -> errors.incrementAndGet());
    }

    @Override
    String name() {
        return NAME;
    }

    @Override
    int maxOutstanding() {
        return RabbitMqBench.MAX_OUTSTANDING;
    }

    @Override
    void send(long seq, Runnable done) {
        CorrelationData correlation = new CorrelationData();
        template.convertAndSend(exchange, SwitchboardSide.TYPE, BenchEvent.of(seq), correlation);
        correlation.getFuture().whenComplete((confirm, error) -> {
            if (error != null || !confirm.ack()) {
                errors.incrementAndGet();
            }
            done.run();
        });
    }

    @Override
    Running consume(Sink sink) {
        SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(connectionFactory);
        container.setQueueNames(queue);
        container.setConcurrentConsumers(1);
        container.setPrefetchCount(RabbitMqBench.PREFETCH);
        container.setAcknowledgeMode(AcknowledgeMode.AUTO);
        container.setMessageListener((MessageListener) message -> {
            BenchEvent event = (BenchEvent) converter.fromMessage(message);
            sink.onEvent(event.seq(), event.ts());
        });
        container.afterPropertiesSet();
        container.start();
        return container::stop;
    }

    @Override
    public void close() {
        connectionFactory.destroy();
    }
}
