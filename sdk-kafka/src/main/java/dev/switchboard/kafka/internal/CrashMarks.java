package dev.switchboard.kafka.internal;

import java.util.Optional;

/**
 * What a member writes into the metadata of its offset commits, so that the member after it can tell whether it
 * stopped without closing (kill -9, a halt, an out-of-memory error) and which records were out at the time, and
 * can count how often each of them was being handled when a member died. Kafka keeps no delivery count; this is
 * how the retry policy still holds for a record whose handling kills the process.
 * <ul>
 *   <li>{@code switchboard:running:<up to>}: the commits of a running member, written before any record beyond
 *       {@code <up to>} goes out. A member that finds it on assignment knows its predecessor died with records up to
 *       there (or to the partition's end) possibly out: the suspects.</li>
 *   <li>{@code switchboard:clean}: a revocation's or a close's commit; nothing is suspect.</li>
 *   <li>{@code switchboard:batch:<first>:<last suspect>}: committed before the suspects are handed out again all
 *       together, alone (nothing else of the member out): most members die for reasons of their own (a kill, a
 *       lost host), and then the suspects pass at full speed. A member that finds this mark knows one of them
 *       killed its predecessor: it hands them out one at a time.</li>
 *   <li>{@code switchboard:trying:<offset>:<tries>:<last suspect>}: committed before a suspect is handled alone,
 *       one at a time; a member that finds it knows that record was being handled, {@code tries} times now, when
 *       its predecessor died.</li>
 * </ul>
 * Other metadata (another client's) means nothing is suspect. Stateless.
 */
final class CrashMarks {
    private static final String PREFIX = "switchboard:";
    static final String CLEAN = PREFIX + "clean";

    /**
     * Records a dead member may have been handling: offsets {@code from} to {@code upTo}, to be handed out again all
     * together ({@code oneAtATime} false) or one at a time, the first of them already tried {@code triesAtFrom} times
     * alone when a member died.
     */
    record Suspects(long from, long upTo, int triesAtFrom, boolean oneAtATime) {
        /** How often the record at {@code offset} will have been tried once this trial starts. */
        int triesIncluding(long offset) {
            return (offset == from ? triesAtFrom : 0) + 1;
        }
    }

    private CrashMarks() {
    }

    static String running(long upTo) {
        return PREFIX + "running:" + upTo;
    }

    /** The {@code <up to>} of a {@code running} mark, -1 for anything else. */
    static long runningUpTo(String metadata) {
        String prefix = PREFIX + "running:";
        if (metadata == null || !metadata.startsWith(prefix)) {
            return -1;
        }
        try {
            return Long.parseLong(metadata.substring(prefix.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static String batch(long from, long upTo) {
        return PREFIX + "batch:" + from + ":" + upTo;
    }

    static String trying(long offset, int tries, long upTo) {
        return PREFIX + "trying:" + offset + ":" + tries + ":" + upTo;
    }

    /** The suspects the commit at {@code position} with {@code metadata} leaves, if any. */
    static Optional<Suspects> read(long position, String metadata) {
        if (metadata == null || !metadata.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String[] parts = metadata.substring(PREFIX.length()).split(":");
        try {
            if (parts[0].equals("running") && parts.length == 2) {
                long upTo = Long.parseLong(parts[1]);
                return upTo >= position ? Optional.of(new Suspects(position, upTo, 0, false)) : Optional.empty();
            }
            if (parts[0].equals("batch") && parts.length == 3 && Long.parseLong(parts[1]) == position) {
                return Optional.of(new Suspects(position, Math.max(position, Long.parseLong(parts[2])), 0, true));
            }
            if (parts[0].equals("trying") && parts.length == 4 && Long.parseLong(parts[1]) == position) {
                return Optional.of(new Suspects(position, Math.max(position, Long.parseLong(parts[3])),
                        Integer.parseInt(parts[2]), true));
            }
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
