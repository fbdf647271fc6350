package org.openstack.jcinder.volume.migration;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import javax.sql.DataSource;

import org.openstack.jcinder.common.db.Clock;
import org.openstack.jcinder.common.service.ServiceRegistry;
import org.openstack.jcinder.common.volume.MigrationPhase;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The slots of {@code max_concurrent_migrations} in the database, so that they hold across processes: which
 * queued migration of a backend runs next, and whether a slot is free for it. {@link MigrationRecorder} calls it
 * (the one writer of migration records); plain SQL because the admission must lock exactly the rows of its
 * scopes ({@code SELECT … FOR UPDATE} on {@code migration_slot_locks}) while it counts and flips the record.
 *
 * <p>A migration holds a slot while its record is open and not {@code queued}. A slot of a backend whose service
 * has not heartbeaten within {@code service_down_time} does not count (a crashed process frees its slots for
 * the other backends of its host; its own restart fails those migrations, see {@link MigrationRecovery}).
 */
@Component
public class MigrationQueue {

    private static final String QUEUED = MigrationPhase.QUEUED.wire();

    private final JdbcTemplate sql;
    private final TransactionTemplate tx;

    public MigrationQueue(DataSource dataSource, PlatformTransactionManager transactions) {
        this.sql = new JdbcTemplate(dataSource);
        this.tx = new TransactionTemplate(transactions);
    }

    /** The limits that apply to one backend's migrations (0 = unlimited). */
    public record Limits(int perBackend, int perHost) {

        public static final Limits NONE = new Limits(0, 0);

        public boolean limited() {
            return perBackend > 0 || perHost > 0;
        }
    }

    /**
     * Admits the oldest queued migration of {@code backend} ({@code host@backend}) if a slot is free under both
     * limits: its record goes from {@code queued} to {@code migrating} in the same transaction that counted the
     * slots. Returns its record id, or empty when nothing is queued or no slot is free.
     */
    Optional<String> admitNext(String backend, Limits limits, Duration serviceDownTime) {
        String host = backend.substring(0, backend.indexOf('@'));
        Set<String> scopes = new TreeSet<>(); // locked in name order: two admissions never deadlock
        scopes.add("backend:" + backend);
        if (limits.perHost() > 0) {
            scopes.add("host:" + host);
        }
        for (String scope : scopes) {
            try {
                sql.update("INSERT INTO migration_slot_locks (scope) VALUES (?) ON CONFLICT DO NOTHING", scope);
            } catch (DataIntegrityViolationException e) {
                // H2 reports a concurrent insert of the same row instead of skipping it; the row exists either way.
            }
        }
        return tx.execute(status -> {
            for (String scope : scopes) {
                sql.queryForList("SELECT scope FROM migration_slot_locks WHERE scope = ? FOR UPDATE", String.class,
                        scope);
            }
            List<String> head = sql.queryForList("SELECT id FROM volume_migrations WHERE finished_at IS NULL"
                    + " AND state = ? AND (source_host = ? OR source_host LIKE ? ESCAPE '!')"
                    + " ORDER BY queue_seq LIMIT 1", String.class, QUEUED, backend, likePrefix(backend + "#"));
            if (head.isEmpty()) {
                return Optional.<String>empty();
            }
            Set<String> alive = aliveBackends(backend, serviceDownTime);
            List<String> running = sql.queryForList("SELECT source_host FROM volume_migrations"
                    + " WHERE finished_at IS NULL AND state <> ? AND source_host LIKE ? ESCAPE '!'", String.class,
                    QUEUED, likePrefix(host + "@"));
            long onBackend = running.stream().filter(h -> backendOf(h).equals(backend)).count();
            long onHost = running.stream().filter(h -> alive.contains(backendOf(h))).count();
            if (limits.perBackend() > 0 && onBackend >= limits.perBackend()
                    || limits.perHost() > 0 && onHost >= limits.perHost()) {
                return Optional.<String>empty();
            }
            LocalDateTime now = Clock.now();
            int updated = sql.update("UPDATE volume_migrations SET state = ?, updated_at = ? WHERE id = ?"
                    + " AND state = ? AND finished_at IS NULL", MigrationPhase.MIGRATING.wire(),
                    Timestamp.valueOf(now), head.get(0), QUEUED);
            return updated == 1 ? Optional.of(head.get(0)) : Optional.<String>empty();
        });
    }

    /**
     * Takes a queued migration out of the queue, ending its record with {@code reason}; false when it is not
     * queued any more (admitted or ended meanwhile).
     */
    boolean removeQueued(String recordId, String reason, LocalDateTime now) {
        return sql.update("UPDATE volume_migrations SET state = ?, detail = ?, finished_at = ?, updated_at = ?"
                + " WHERE id = ? AND state = ? AND finished_at IS NULL", MigrationPhase.ERROR.wire(), reason,
                Timestamp.valueOf(now), Timestamp.valueOf(now), recordId, QUEUED) == 1;
    }

    /** The ids of a backend's queued migrations, first to run first. */
    List<String> queued(String backend) {
        return sql.queryForList("SELECT id FROM volume_migrations WHERE finished_at IS NULL AND state = ?"
                + " AND (source_host = ? OR source_host LIKE ? ESCAPE '!') ORDER BY queue_seq", String.class, QUEUED,
                backend, likePrefix(backend + "#"));
    }

    /** How many of a backend's migrations hold a slot now. */
    long running(String backend) {
        Long n = sql.queryForObject("SELECT COUNT(*) FROM volume_migrations WHERE finished_at IS NULL AND state <> ?"
                + " AND (source_host = ? OR source_host LIKE ? ESCAPE '!')", Long.class, QUEUED, backend,
                likePrefix(backend + "#"));
        return n == null ? 0 : n;
    }

    /** The backends of {@code host} that heartbeat, and {@code self} (which runs, registered yet or not). */
    private Set<String> aliveBackends(String self, Duration serviceDownTime) {
        String host = self.substring(0, self.indexOf('@'));
        Set<String> alive = new HashSet<>(sql.queryForList("SELECT host FROM services WHERE binary_name = ?"
                + " AND deleted = FALSE AND updated_at >= ? AND host LIKE ? ESCAPE '!'", String.class,
                ServiceRegistry.VOLUME_BINARY, Timestamp.valueOf(Clock.now().minus(serviceDownTime)),
                likePrefix(host + "@")));
        alive.add(self);
        return alive;
    }

    /** host@backend#pool → host@backend. */
    static String backendOf(String sourceHost) {
        int hash = sourceHost.indexOf('#');
        return hash < 0 ? sourceHost : sourceHost.substring(0, hash);
    }

    /** A LIKE pattern matching what starts with {@code prefix} ('_' and '%' are common in host names' kin). */
    private static String likePrefix(String prefix) {
        return prefix.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
    }
}
