package dev.switchboard.rabbitmq.internal;

import com.rabbitmq.client.AMQP;
import dev.switchboard.EventEnvelope;
import dev.switchboard.spi.Delivery;
import java.util.Optional;

/** One delivery from a queue, with what is needed to ack, retry or dead-letter it. */
record RabbitMqDelivery(long deliveryTag, AMQP.BasicProperties properties, byte[] body, EventEnvelope envelope,
                        Optional<String> malformation, int attempt) implements Delivery {
}
