/**
 * The Switchboard API: broker-portable publishing and consuming of CloudEvents.
 *
 * <p>Start with {@link dev.switchboard.Messaging}: it selects the broker from configuration and hands out
 * the {@link dev.switchboard.Publisher} and running {@link dev.switchboard.Subscriber}s. Events travel as
 * {@link dev.switchboard.EventEnvelope}s; payload objects are encoded by a {@link dev.switchboard.PayloadCodec}
 * and mapped to event types by the {@link dev.switchboard.TypeRegistry}. Failures are
 * {@link dev.switchboard.MessagingException}s classified by {@link dev.switchboard.ErrorCode}.
 *
 * <p>Layout: this package is the API; {@code dev.switchboard.spi} is what a broker driver implements;
 * {@code dev.switchboard.internal} is the portable runtime between them, shared by every broker.
 */
package dev.switchboard;
