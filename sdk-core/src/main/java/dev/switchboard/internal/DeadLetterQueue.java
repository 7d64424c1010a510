package dev.switchboard.internal;

import dev.switchboard.DeadLetter;
import dev.switchboard.spi.Delivery;
import dev.switchboard.spi.ReceiverSpec;
import dev.switchboard.spi.SubscriberDriver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Reads and replays one group's dead letters through the driver's dead-letter receiver. Listing receives
 * and gives everything back; replaying publishes each original to its topic before acking the dead letter.
 */
public final class DeadLetterQueue {
    /** After the first dead letter arrived, how long to wait for more before answering. */
    private static final Duration FOLLOW_UP_WAIT = Duration.ofMillis(200);

    private final RuntimeContext context;
    private final String topic;
    private final String group;

    public DeadLetterQueue(RuntimeContext context, String topic, String group) {
        this.context = context;
        this.topic = topic;
        this.group = group;
    }

    public List<DeadLetter> list(int max, Duration wait) {
        List<DeadLetter> result = new ArrayList<>();
        withReceiver(max, wait, (receiver, deliveries) -> {
            deliveries.forEach(d -> result.add(read(d)));
            deliveries.forEach(d -> receiver.nack(d, Duration.ZERO).join());
        });
        return result;
    }

    public List<DeadLetter> replay(int max, Duration wait) {
        List<DeadLetter> replayed = new ArrayList<>();
        PublishPipeline publisher = new PublishPipeline(context);
        withReceiver(max, wait, (receiver, deliveries) -> {
            for (Delivery delivery : deliveries) {
                DeadLetter deadLetter = read(delivery);
                try {
                    publisher.send(deadLetter.topic(), List.of(deadLetter.envelope())).get(0).join();
                } catch (RuntimeException e) {
                    deliveries.subList(deliveries.indexOf(delivery), deliveries.size())
                            .forEach(d -> receiver.nack(d, Duration.ZERO).join());
                    throw context.classify(e);
                }
                receiver.ack(delivery).join();
                replayed.add(deadLetter);
            }
        });
        return replayed;
    }

    private DeadLetter read(Delivery delivery) {
        return DeadLetterDiagnostics.read(delivery.envelope(), topic, group);
    }

    private void withReceiver(int max, Duration wait, BiConsumer<SubscriberDriver, List<Delivery>> work) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be >= 1, was " + max);
        }
        context.ensureOpen();
        ReceiverSpec spec = context.receiverSpec(topic, group, ReceiverSpec.Source.DEAD_LETTERS, max);
        try (SubscriberDriver receiver = context.openReceiver(spec)) {
            work.accept(receiver, receiveUpTo(receiver, max, wait));
        }
    }

    private List<Delivery> receiveUpTo(SubscriberDriver receiver, int max, Duration wait) {
        List<Delivery> deliveries = new ArrayList<>();
        try {
            List<Delivery> batch = receiver.receive(max, wait);
            while (!batch.isEmpty()) {
                deliveries.addAll(batch);
                if (deliveries.size() >= max) {
                    break;
                }
                batch = receiver.receive(max - deliveries.size(), FOLLOW_UP_WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            deliveries.forEach(d -> receiver.nack(d, Duration.ZERO));
            throw new dev.switchboard.MessagingException(dev.switchboard.ErrorCode.CANCELLED,
                    "interrupted while reading dead letters of " + topic + "/" + group, e);
        } catch (RuntimeException e) {
            deliveries.forEach(d -> receiver.nack(d, Duration.ZERO));
            throw context.classify(e);
        }
        return deliveries;
    }
}
