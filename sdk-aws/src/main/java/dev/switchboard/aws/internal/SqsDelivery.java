package dev.switchboard.aws.internal;

import dev.switchboard.Payload;
import dev.switchboard.spi.InboundMessage;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * One received SQS message, read back through {@link AwsAttributes}: {@code ce_more} unpacked into
 * {@code ce_}-prefixed headers, the body decoded by its {@code ce_dataencoding}. Built on the receiving thread
 * without decoding anything; {@code ce_more} is parsed on first use (once) — on a handler's thread, unless
 * the runtime needs the partition key of an ordered subscription before. Identity equality: a delivery is one
 * hand-out of a message, and its receipt handle settles it. Thread-safe.
 */
final class SqsDelivery implements InboundMessage {
    private final Message message;
    private volatile Map<String, String> more;

    SqsDelivery(Message message) {
        this.message = message;
    }

    /** What SQS needs to delete the message or change its visibility. */
    String receiptHandle() {
        return message.receiptHandle();
    }

    @Override
    public void forEachHeader(BiConsumer<String, String> visitor) {
        message.messageAttributes().forEach((name, value) -> {
            switch (name) {
                case AwsAttributes.CONTENT_TYPE, AwsAttributes.DATA_ENCODING -> {
                }
                case AwsAttributes.MORE -> more(value).forEach((packed, text) -> visitor.accept(AwsAttributes.PREFIX + packed, text));
                default -> visitor.accept(name, text(value));
            }
        });
    }

    private Map<String, String> more(MessageAttributeValue value) {
        Map<String, String> unpacked = more;
        if (unpacked == null) {
            unpacked = AwsAttributes.unpackMore(text(value));
            more = unpacked;
        }
        return unpacked;
    }

    @Override
    public String contentType() {
        return attribute(AwsAttributes.CONTENT_TYPE);
    }

    @Override
    public Payload body() {
        return AwsAttributes.readBody(message.body(), attribute(AwsAttributes.DATA_ENCODING));
    }

    /** The SQS message id, the same on every redelivery. */
    @Override
    public String transportId() {
        return message.messageId();
    }

    /** SQS's {@code ApproximateReceiveCount}, 1 if it is missing. */
    @Override
    public int attempt() {
        String count = message.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
        return count == null ? 1 : Integer.parseInt(count);
    }

    @Override
    public <T> Optional<T> unwrap(Class<T> type) {
        return type.isInstance(message) ? Optional.of(type.cast(message)) : Optional.empty();
    }

    private String attribute(String name) {
        MessageAttributeValue value = message.messageAttributes().get(name);
        return value == null ? null : text(value);
    }

    private static String text(MessageAttributeValue value) {
        return value.stringValue() != null ? value.stringValue()
                : value.binaryValue() != null ? Base64.getEncoder().encodeToString(value.binaryValue().asByteArray()) : "";
    }
}
