package org.openstack.jcinder.benchmarks;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * How long the migrations of the all-in-one under test spent in their copying phase, read from the service's own
 * phase timer ({@code cinder.migration.phase.duration{phase=copying}}: from the moment both volumes are
 * connected until both are disconnected again). A migration's wall time through the API minus this is its
 * orchestration: the request, the scheduler, the temporary volume, the connections, the swap and the API
 * showing {@code success}.
 */
final class CopyPhaseClock {

    private final MeterRegistry registry;

    CopyPhaseClock(ConfigurableApplicationContext app) {
        this.registry = app.getBean(MeterRegistry.class);
    }

    /** Seconds spent copying by all migrations so far; take the difference around one migration. */
    double copyingSeconds() {
        return registry.find("cinder.migration.phase.duration").tag("phase", "copying").timers().stream()
                .mapToDouble(t -> t.totalTime(TimeUnit.NANOSECONDS) / 1e9).sum();
    }

    /**
     * Every timer of the service (RPC calls and casts by method, the migration phases, HTTP requests), with its
     * count, mean and maximum: where the orchestration's time goes ({@code --timers}).
     */
    void printTimers() {
        registry.getMeters().stream().filter(m -> m instanceof io.micrometer.core.instrument.Timer)
                .map(m -> (io.micrometer.core.instrument.Timer) m)
                .sorted(java.util.Comparator.comparing(t -> t.getId().getName() + t.getId().getTags()))
                .forEach(t -> System.out.printf(java.util.Locale.ROOT, "%-34s %5d x  mean %7.2f ms  max %7.2f ms  %s%n",
                        t.getId().getName(), t.count(), t.mean(TimeUnit.MILLISECONDS), t.max(TimeUnit.MILLISECONDS),
                        t.getId().getTags()));
    }

    /** The copying phase of the one migration that ran between {@code before} and now. */
    double since(double before) {
        return copyingSeconds() - before;
    }
}
