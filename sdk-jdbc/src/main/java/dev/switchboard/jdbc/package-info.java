/**
 * The transactional outbox and inbox: no event lost or invented between a service's database and its broker.
 * Plain JDBC on PostgreSQL, MariaDB/MySQL and H2; works with any Switchboard broker, because it publishes and
 * consumes through {@link dev.switchboard.Messaging} like any other code.
 *
 * <h2>Producer side: the outbox</h2>
 * {@link dev.switchboard.jdbc.Outbox#publish(java.sql.Connection, String, Object)} writes the event — the same
 * CloudEvents envelope {@link dev.switchboard.Publisher} would send, with its topic and partition key — as a row of
 * {@code switchboard_outbox} on the caller's connection, inside the caller's transaction: if that transaction rolls
 * back, nothing is ever sent; if it commits, the event will be. An {@link dev.switchboard.jdbc.OutboxRelay} (one per
 * service instance) moves committed rows to the broker: in batches, each bucket's rows in id order (a key's next row
 * once the broker confirmed its previous one, different keys together), deleting rows only after the broker
 * confirmed them. A row the broker refuses for good is moved to
 * {@code switchboard_outbox_parked} with the reason and logged; a broker that is down makes the outbox grow until
 * it is back, then the relay drains it.
 *
 * <p><b>Several relays at once: per-key leases, not {@code SKIP LOCKED}.</b> Every row carries a bucket, its partition
 * key's hash modulo 64 (its event id's when it has no key). A relay publishes only the buckets it leases in
 * {@code switchboard_outbox_lease}; the running relays ({@code switchboard_outbox_relay}) share the 64 buckets
 * evenly, renew their leases while they run, and take over a dead relay's buckets once its leases expire (times are
 * the database's clock, so relays' clocks do not matter). So one key has one relay at a time and its events leave in
 * order, and no transaction is held open across a broker round trip. {@code FOR UPDATE SKIP LOCKED} alone would let
 * a second relay skip the first relay's locked row and publish the next row of the same key before it, and it keeps
 * row locks for the whole publish.
 *
 * <p><b>Low latency without hammering the database.</b> On PostgreSQL, {@code Outbox.publish} also sends
 * {@code NOTIFY switchboard_outbox} in the caller's transaction (delivered only when it commits) and the relay
 * waits on {@code LISTEN}, with a slow poll as a safety net. On other databases the relay polls, at once again
 * while it finds rows, and at a short fixed interval when idle.
 *
 * <h2>Consumer side: the inbox</h2>
 * {@link dev.switchboard.jdbc.JdbcDeduplicationStore} is a {@link dev.switchboard.DeduplicationStore} on
 * {@code switchboard_inbox}, shared by every instance of a group. {@link dev.switchboard.jdbc.Inbox#transactional}
 * wraps a handler that writes to the database: the inbox record and the handler's own writes commit in one
 * transaction, so an event redelivered after that commit has its effects once, and a handler that fails or dies
 * before it leaves no record, so the redelivery is handled. Old inbox rows are removed by
 * {@link dev.switchboard.jdbc.Inbox#purgeExpired()} (or its scheduled form).
 *
 * <h2>Tables</h2>
 * The DDL of each database is a versioned SQL resource, {@code db/switchboard/<database>/V1__switchboard_outbox_inbox.sql}
 * ({@code postgresql}, {@code mariadb}, {@code h2}), for Flyway or Liquibase; {@link dev.switchboard.jdbc.SwitchboardTables}
 * applies it where the tables are missing.
 *
 * <p>Classes in {@code dev.switchboard.jdbc.internal} are not API.
 */
package dev.switchboard.jdbc;
