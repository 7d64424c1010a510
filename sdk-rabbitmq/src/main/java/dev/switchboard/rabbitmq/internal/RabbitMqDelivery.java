package dev.switchboard.rabbitmq.internal;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import dev.switchboard.EventEnvelope;
import dev.switchboard.spi.Delivery;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One delivery from a queue, with what is needed to ack, retry or dead-letter it: the channel it came on
 * (a delivery tag means nothing on another channel) and whether it was settled, so that a second ack is a
 * no-op instead of a channel error.
 */
record RabbitMqDelivery(Channel channel, long deliveryTag, AMQP.BasicProperties properties, byte[] body,
                        EventEnvelope envelope, Optional<String> malformation, int attempt, AtomicBoolean settled)
        implements Delivery {

    /** True the first time only. */
    boolean settle() {
        return settled.compareAndSet(false, true);
    }
}
