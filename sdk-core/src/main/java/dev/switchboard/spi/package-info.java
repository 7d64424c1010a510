/**
 * The driver SPI: what a broker adapter implements, and nothing more. A leaf: it knows the vocabulary
 * ({@code ErrorCode}, {@code MessagingException}, {@code Payload}, configuration) and never the event model.
 *
 * <p>A driver moves wire messages and acknowledgements; the portable runtime ({@code dev.switchboard.internal})
 * owns everything that must behave the same on every broker: the CloudEvents binding, batching, retries and
 * backoff, dead-lettering, deduplication, concurrency and per-key ordering, error unwrapping, the
 * provisioning policy, graceful drain. Modelled on Go CDK's {@code pubsub/driver}.
 * <ul>
 *   <li>{@link dev.switchboard.spi.PublisherDriver} sends a batch of {@link dev.switchboard.spi.OutboundMessage}s
 *       and completes each entry; it never retries.</li>
 *   <li>{@link dev.switchboard.spi.ReceiverDriver} receives up to N {@link dev.switchboard.spi.InboundMessage}s
 *       with a bounded wait, acks, nacks with an optional redelivery delay, and writes dead letters.</li>
 *   <li>{@link dev.switchboard.spi.TopologyDriver} checks and creates topics and receivers; the core applies
 *       the provisioning policy over it.</li>
 *   <li>{@link dev.switchboard.spi.BrokerDriver} declares {@linkplain dev.switchboard.spi.Capability capabilities}
 *       and limits, classifies native errors and unwraps the native client.</li>
 * </ul>
 * A provider is found through {@link java.util.ServiceLoader} by its
 * {@link dev.switchboard.spi.BrokerProvider#name()}, or handed to {@code Messaging.builder()}.
 */
package dev.switchboard.spi;
