package dev.switchboard.jdbc;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduled {@link Inbox#purgeExpired()} of {@link Inbox#scheduleHousekeeping(Duration)}: one daemon thread.
 * {@link #close()} stops the schedule (a purge running at that moment finishes its statement); idempotent and
 * thread-safe.
 *
 * @since 0.2
 */
public final class InboxHousekeeping implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(InboxHousekeeping.class);

    private final ScheduledExecutorService executor;

    private InboxHousekeeping(ScheduledExecutorService executor) {
        this.executor = executor;
    }

    static InboxHousekeeping start(Inbox inbox, Duration every) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "switchboard-inbox-housekeeping");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(() -> purge(inbox, every), 0, every.toMillis(), TimeUnit.MILLISECONDS);
        return new InboxHousekeeping(executor);
    }

    /**
     * One run. An exception is logged and the schedule goes on; an {@link Error} is logged and ends the schedule
     * (what a scheduled task throws would otherwise vanish into its future).
     */
    private static void purge(Inbox inbox, Duration every) {
        try {
            int deleted = inbox.purgeExpired();
            if (deleted > 0) {
                log.debug("deleted {} expired row(s) of switchboard_inbox", deleted);
            }
        } catch (Exception e) {
            log.warn("purging expired rows of switchboard_inbox failed; next try in {}", every, e);
        } catch (Error e) {
            log.error("purging expired rows of switchboard_inbox failed; housekeeping stops", e);
            throw e;
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
