/**
 * The driver SPI: what a broker adapter implements, and nothing more.
 *
 * <p>The portable runtime in {@code dev.switchboard} owns every behaviour that must be the same on every
 * broker: envelope validation and codecs, retries and backoff, dead-lettering, deduplication, concurrency
 * and per-key ordering, graceful drain. A driver only moves envelopes and acknowledgements:
 * <ul>
 *   <li>{@link dev.switchboard.spi.PublisherDriver} sends a batch and completes each entry; it never retries.</li>
 *   <li>{@link dev.switchboard.spi.SubscriberDriver} receives up to N deliveries with a bounded wait, acks,
 *       nacks with an optional redelivery delay, and writes dead letters.</li>
 *   <li>{@link dev.switchboard.spi.BrokerDriver} provisions topics and subscriptions, declares
 *       {@linkplain dev.switchboard.spi.Capability capabilities}, classifies native errors and unwraps the
 *       native client.</li>
 * </ul>
 * A provider is found through {@link java.util.ServiceLoader} by its {@link dev.switchboard.spi.BrokerProvider#name()}.
 * {@link dev.switchboard.spi.CloudEventAttributes} maps envelopes to and from header maps so that every
 * binding reads foreign messages the same forgiving way.
 */
package dev.switchboard.spi;
