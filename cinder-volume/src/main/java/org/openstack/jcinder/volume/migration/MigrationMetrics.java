package org.openstack.jcinder.volume.migration;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import org.openstack.jcinder.common.db.VolumeMigrationEntity;
import org.openstack.jcinder.common.volume.MigrationPath;
import org.openstack.jcinder.common.volume.MigrationPhase;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The migration meters, fed by {@link MigrationRecorder} (the one writer of a migration's record), so every path
 * counts the same way: started and finished by path, source backend and outcome, bytes copied, the copy rate
 * and how long each phase lasted.
 */
@Component
public class MigrationMetrics {

    private final MeterRegistry registry;
    /** The phase each open migration is in and since when (monotonic nanoseconds). */
    private final Map<String, PhaseStart> phases = new ConcurrentHashMap<>();
    private final Map<String, Long> copied = new ConcurrentHashMap<>();

    private record PhaseStart(MigrationPhase phase, long nanos) {
    }

    public MigrationMetrics(ObjectProvider<MeterRegistry> registry) {
        // Without Actuator (unit-level contexts) the global registry: counting costs nothing and breaks nothing.
        this.registry = registry.getIfAvailable(() -> Metrics.globalRegistry);
    }

    void started(VolumeMigrationEntity r) {
        phases.put(r.getId(), new PhaseStart(r.getState(), System.nanoTime()));
    }

    /** The first path that owns the migration counts it as started; a fallback to another path does not. */
    void pathChosen(VolumeMigrationEntity r, MigrationPath previous) {
        if (previous == null) {
            Counter.builder("cinder.migrations.started").description("Migrations started, by path and backend")
                    .tags("path", path(r), "backend", backend(r)).register(registry).increment();
        }
    }

    void phase(VolumeMigrationEntity r, MigrationPhase next) {
        long now = System.nanoTime();
        PhaseStart before = phases.put(r.getId(), new PhaseStart(next, now));
        if (before != null && before.phase() != next) {
            Timer.builder("cinder.migration.phase.duration").description("Time a migration spent in each phase")
                    .tags("phase", before.phase().wire(), "path", path(r), "backend", backend(r))
                    .publishPercentileHistogram().register(registry).record(Duration.ofNanos(now - before.nanos()));
        }
    }

    void copied(VolumeMigrationEntity r, long bytes) {
        Long previous = copied.put(r.getId(), bytes);
        long delta = bytes - (previous == null ? 0 : previous);
        if (delta > 0) {
            Counter.builder("cinder.migration.copied.bytes").baseUnit("bytes").description("Bytes copied by migrations")
                    .tags("path", path(r), "backend", backend(r)).register(registry).increment(delta);
        }
    }

    void finished(VolumeMigrationEntity r, MigrationPhase outcome) {
        phase(r, outcome);
        phases.remove(r.getId());
        if (r.getPath() == MigrationPath.ATTACHED) {
            // The compute service's progress reports reach the API, not this process: what the record holds at
            // the end is counted here, once (the whole volume after a swap, the last report after a failure).
            copied(r, r.getBytesCopied());
        }
        Long bytes = copied.remove(r.getId());
        Counter.builder("cinder.migrations.finished").description("Migrations ended, by path, backend and outcome")
                .tags("path", path(r), "backend", backend(r), "outcome", outcome.wire())
                .register(registry).increment();
        if (outcome == MigrationPhase.SUCCESS && bytes != null && bytes > 0 && r.getCopyStartedAt() != null
                && r.getFinishedAt() != null) {
            double seconds = Math.max(0.001, Duration.between(r.getCopyStartedAt(), r.getFinishedAt()).toMillis()
                    / 1000.0);
            DistributionSummary.builder("cinder.migration.copy.rate").baseUnit("bytes_per_second")
                    .description("Average copy rate of each successful migration")
                    .tags("path", path(r), "backend", backend(r)).publishPercentileHistogram()
                    .register(registry).record(bytes / seconds);
        }
    }

    /**
     * The gauges of one backend's queue ({@code host@backend}): migrations waiting for a slot and migrations
     * holding one, read from the database at each scrape (so they include other processes' and survive restarts).
     */
    void queue(String serviceHost, java.util.function.ToDoubleFunction<String> queued,
               java.util.function.ToDoubleFunction<String> running) {
        String backend = serviceHost.substring(serviceHost.indexOf('@') + 1);
        Gauge.builder("cinder.migrations.queued", serviceHost, h -> safely(queued, h))
                .description("Migrations waiting in a backend's queue for a slot (max_concurrent_migrations)")
                .tags("backend", backend).strongReference(true).register(registry);
        Gauge.builder("cinder.migrations.running", serviceHost, h -> safely(running, h))
                .description("Migrations of a backend that hold a slot (started, not ended)")
                .tags("backend", backend).strongReference(true).register(registry);
    }

    /** A scrape while the database is away shows no value rather than failing. */
    private static double safely(java.util.function.ToDoubleFunction<String> f, String serviceHost) {
        try {
            return f.applyAsDouble(serviceHost);
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    private static String path(VolumeMigrationEntity r) {
        return r.getPath() == null ? "none" : r.getPath().wire();
    }

    /** host@backend#pool: the backend, the label operators group by. */
    static String backend(VolumeMigrationEntity r) {
        String host = r.getSourceHost();
        if (host == null) {
            return "unknown";
        }
        int at = host.indexOf('@');
        int hash = host.indexOf('#');
        return at < 0 ? host : host.substring(at + 1, hash > at ? hash : host.length());
    }
}
