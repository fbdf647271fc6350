package org.openstack.jcinder.volume.migration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says when a running copy's progress is worth a log line and a database write: every 10 % or every 5 s,
 * whichever comes first — often enough for an operator tailing the log, rarely enough not to load the database.
 */
final class CopyProgressLog {

    private static final Logger LOG = LoggerFactory.getLogger(CopyProgressLog.class);
    private static final long FIVE_SECONDS = 5_000_000_000L;

    private final String volumeId;
    private final String route;
    private final long total;
    private final long started;
    private long lastLogged;
    private long lastBytes;

    CopyProgressLog(String volumeId, String route, long total, long startedNanos) {
        this.volumeId = volumeId;
        this.route = route;
        this.total = total;
        this.started = startedNanos;
        this.lastLogged = startedNanos;
    }

    /** Logs and answers true when {@code copied} bytes are a step worth reporting. */
    boolean due(long copied) {
        long now = System.nanoTime();
        boolean tenPercent = total > 0 && (copied - lastBytes) * 10 >= total;
        if (!tenPercent && now - lastLogged < FIVE_SECONDS) {
            return false;
        }
        double seconds = Math.max(1e-3, (now - started) / 1e9);
        double rate = copied / seconds;
        LOG.info("Migration of volume {} ({}): {} of {} MB copied, {}%, {} MB/s, ETA {} s", volumeId, route,
                copied / 1_000_000, total / 1_000_000, total == 0 ? 100 : copied * 100 / total,
                String.format("%.0f", rate / 1e6), rate <= 0 ? "?" : String.format("%.0f", (total - copied) / rate));
        lastLogged = now;
        lastBytes = copied;
        return true;
    }
}
