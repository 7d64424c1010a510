package dev.switchboard.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One relay's side of {@code switchboard_outbox_lease} and {@code switchboard_outbox_relay}: its heartbeat, the
 * renewal of its leases, and the sharing of the buckets with the other live relays. Every time is the database's
 * clock ({@link Dialect#nowPlusMillis()}), so the relays' clocks do not matter. Every method runs on the auto-commit
 * connection it is given. Immutable; thread-safe.
 */
public final class BucketLeases {
    private static final long FORGET_AFTER_MILLIS = 3_600_000;

    private final Dialect dialect;
    private final String relayId;
    private final long leaseMillis;

    public BucketLeases(Dialect dialect, String relayId, long leaseMillis) {
        this.dialect = dialect;
        this.relayId = relayId;
        this.leaseMillis = leaseMillis;
    }

    /**
     * Creates the lease rows that do not exist yet, free (tolerating relays doing the same at once), and forgets the
     * relays not seen for an hour (killed ones leave their row behind).
     */
    public void createMissing(Connection connection) throws SQLException {
        try (PreparedStatement forget = connection.prepareStatement("DELETE FROM switchboard_outbox_relay WHERE seen_at < "
                + dialect.nowPlusMillis())) {
            forget.setLong(1, -FORGET_AFTER_MILLIS);
            forget.executeUpdate();
        }
        Set<Integer> existing = new HashSet<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT bucket FROM switchboard_outbox_lease");
             ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                existing.add(rs.getInt(1));
            }
        }
        for (int bucket = 0; bucket < OutboxRow.BUCKETS; bucket++) {
            if (existing.contains(bucket)) {
                continue;
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO switchboard_outbox_lease"
                    + " (bucket, owner, expires_at) VALUES (?, NULL, " + dialect.nowPlusMillis() + ")")) {
                insert.setInt(1, bucket);
                insert.setLong(2, 0);
                insert.executeUpdate();
            } catch (SQLException e) {
                if (!DuplicateKey.is(e)) {
                    throw e;
                }
                // another relay created it first
            }
        }
    }

    /**
     * Marks this relay as alive and renews every lease it holds, until the lease time from now.
     *
     * @return the number of leases renewed
     */
    public int heartbeat(Connection connection) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE switchboard_outbox_relay SET seen_at = "
                + dialect.nowPlusMillis() + " WHERE relay_id = ?")) {
            update.setLong(1, 0);
            update.setString(2, relayId);
            if (update.executeUpdate() == 0) {
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO switchboard_outbox_relay"
                        + " (relay_id, seen_at) VALUES (?, " + dialect.nowPlusMillis() + ")")) {
                    insert.setString(1, relayId);
                    insert.setLong(2, 0);
                    insert.executeUpdate();
                }
            }
        }
        try (PreparedStatement renew = connection.prepareStatement("UPDATE switchboard_outbox_lease SET expires_at = "
                + dialect.nowPlusMillis() + " WHERE owner = ?")) {
            renew.setLong(1, leaseMillis);
            renew.setString(2, relayId);
            return renew.executeUpdate();
        }
    }

    /**
     * Brings this relay's buckets to its fair share, {@code ceil(64 / live relays)}: releases the surplus (to be
     * called only while none of its rows is in flight), then claims free or expired buckets up to the share.
     *
     * @return the buckets this relay holds now
     */
    public SortedSet<Integer> rebalance(Connection connection) throws SQLException {
        int live = liveRelays(connection);
        int share = (OutboxRow.BUCKETS + live - 1) / live;
        SortedSet<Integer> owned = owned(connection);
        while (owned.size() > share) {
            Integer surplus = owned.last();
            release(connection, surplus);
            owned.remove(surplus);
        }
        if (owned.size() < share) {
            List<Integer> claimable = claimable(connection);
            Collections.shuffle(claimable);
            for (int bucket : claimable) {
                if (owned.size() >= share) {
                    break;
                }
                if (claim(connection, bucket)) {
                    owned.add(bucket);
                }
            }
        }
        return owned;
    }

    /** Gives back every bucket of this relay at once, and removes its heartbeat: other relays take over now. */
    public void releaseAll(Connection connection) throws SQLException {
        try (PreparedStatement release = connection.prepareStatement("UPDATE switchboard_outbox_lease"
                + " SET owner = NULL, expires_at = " + dialect.nowPlusMillis() + " WHERE owner = ?")) {
            release.setLong(1, 0);
            release.setString(2, relayId);
            release.executeUpdate();
        }
        try (PreparedStatement forget = connection.prepareStatement(
                "DELETE FROM switchboard_outbox_relay WHERE relay_id = ?")) {
            forget.setString(1, relayId);
            forget.executeUpdate();
        }
    }

    /** The relays seen within the lease time, this one included (it has just sent a heartbeat). */
    private int liveRelays(Connection connection) throws SQLException {
        try (PreparedStatement count = connection.prepareStatement("SELECT COUNT(*) FROM switchboard_outbox_relay"
                + " WHERE seen_at > " + dialect.nowPlusMillis())) {
            count.setLong(1, -leaseMillis);
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                return Math.max(1, rs.getInt(1));
            }
        }
    }

    private SortedSet<Integer> owned(Connection connection) throws SQLException {
        SortedSet<Integer> owned = new TreeSet<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT bucket FROM switchboard_outbox_lease"
                + " WHERE owner = ? AND expires_at > " + dialect.nowPlusMillis())) {
            select.setString(1, relayId);
            select.setLong(2, 0);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    owned.add(rs.getInt(1));
                }
            }
        }
        return owned;
    }

    private List<Integer> claimable(Connection connection) throws SQLException {
        List<Integer> buckets = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT bucket FROM switchboard_outbox_lease"
                + " WHERE owner IS NULL OR expires_at <= " + dialect.nowPlusMillis())) {
            select.setLong(1, 0);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    buckets.add(rs.getInt(1));
                }
            }
        }
        return buckets;
    }

    /** Takes a bucket if it is still free or expired (another relay may have been faster). */
    private boolean claim(Connection connection, int bucket) throws SQLException {
        try (PreparedStatement claim = connection.prepareStatement("UPDATE switchboard_outbox_lease SET owner = ?,"
                + " expires_at = " + dialect.nowPlusMillis() + " WHERE bucket = ? AND (owner IS NULL OR expires_at <= "
                + dialect.nowPlusMillis() + ")")) {
            claim.setString(1, relayId);
            claim.setLong(2, leaseMillis);
            claim.setInt(3, bucket);
            claim.setLong(4, 0);
            return claim.executeUpdate() == 1;
        }
    }

    private void release(Connection connection, int bucket) throws SQLException {
        try (PreparedStatement release = connection.prepareStatement("UPDATE switchboard_outbox_lease"
                + " SET owner = NULL, expires_at = " + dialect.nowPlusMillis() + " WHERE bucket = ? AND owner = ?")) {
            release.setLong(1, 0);
            release.setInt(2, bucket);
            release.setString(3, relayId);
            release.executeUpdate();
        }
    }
}
