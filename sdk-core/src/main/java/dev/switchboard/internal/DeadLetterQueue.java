package dev.switchboard.internal;

import dev.switchboard.internal.publish.PublishPipeline;

import dev.switchboard.DeadLetter;
import dev.switchboard.ErrorCode;
import dev.switchboard.MessagingException;
import dev.switchboard.internal.binding.CloudEventsBinding;
import dev.switchboard.spi.InboundMessage;
import dev.switchboard.spi.ReceiverDriver;
import dev.switchboard.spi.ReceiverSpec;
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
            giveBack(receiver, deliveries);
        });
        return result;
    }

    public List<DeadLetter> replay(int max, Duration wait) {
        List<DeadLetter> replayed = new ArrayList<>();
        PublishPipeline publisher = new PublishPipeline(context);
        withReceiver(max, wait, (receiver, deliveries) -> {
            for (InboundMessage delivery : deliveries) {
                DeadLetter deadLetter = read(delivery);
                if (deadLetter.isCut()) {
                    giveBack(receiver, deliveries.subList(deliveries.indexOf(delivery), deliveries.size()));
                    throw new MessagingException(ErrorCode.FAILED_PRECONDITION, "dead letter of event "
                            + deadLetter.envelope().id() + " holds only " + deadLetter.envelope().payload().size()
                            + " of its " + deadLetter.originalSize() + " payload bytes and is not replayed; the whole"
                            + " original is at " + deadLetter.position() + " of topic " + deadLetter.topic());
                }
                try {
                    publisher.send(deadLetter.topic(), List.of(deadLetter.envelope())).get(0).join();
                } catch (RuntimeException e) {
                    giveBack(receiver, deliveries.subList(deliveries.indexOf(delivery), deliveries.size()));
                    throw context.classify(e);
                }
                receiver.ack(List.of(delivery)).join();
                replayed.add(deadLetter);
            }
        });
        return replayed;
    }

    private DeadLetter read(InboundMessage delivery) {
        String prefix = context.driver().attributePrefix();
        return DeadLetterDiagnostics.read(CloudEventsBinding.decode(delivery, prefix, fallbackSource()).envelope(), topic, group);
    }

    private String fallbackSource() {
        return context.brokerName() + ":" + topic;
    }

    private void withReceiver(int max, Duration wait, BiConsumer<ReceiverDriver, List<InboundMessage>> work) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be >= 1, was " + max);
        }
        context.ensureOpen();
        ReceiverSpec spec = context.receiverSpec(topic, group, ReceiverSpec.Source.DEAD_LETTERS, max);
        try (ReceiverDriver receiver = context.openReceiver(spec)) {
            work.accept(receiver, receiveUpTo(receiver, max, wait));
        }
    }

    private List<InboundMessage> receiveUpTo(ReceiverDriver receiver, int max, Duration wait) {
        List<InboundMessage> deliveries = new ArrayList<>();
        try {
            List<? extends InboundMessage> batch = receiver.receive(max, wait);
            while (!batch.isEmpty()) {
                deliveries.addAll(batch);
                if (deliveries.size() >= max) {
                    break;
                }
                batch = receiver.receive(max - deliveries.size(), FOLLOW_UP_WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            giveBack(receiver, deliveries);
            throw new dev.switchboard.MessagingException(dev.switchboard.ErrorCode.CANCELLED,
                    "interrupted while reading dead letters of " + topic + "/" + group, e);
        } catch (RuntimeException e) {
            giveBack(receiver, deliveries);
            throw context.classify(e);
        }
        return deliveries;
    }

    /** Gives {@code deliveries} back, in calls no larger than the receiver takes; waits for each. */
    private static void giveBack(ReceiverDriver receiver, List<InboundMessage> deliveries) {
        int size = receiver.settlementBatching().maxBatchSize();
        for (int from = 0; from < deliveries.size(); from += size) {
            receiver.nack(deliveries.subList(from, Math.min(deliveries.size(), from + size)), Duration.ZERO).join();
        }
    }
}
