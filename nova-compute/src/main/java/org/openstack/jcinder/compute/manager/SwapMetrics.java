package org.openstack.jcinder.compute.manager;

import java.time.Duration;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import org.openstack.jcinder.compute.virt.HypervisorDriver;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The compute side of an attached migration, on nova-compute's management listener (docs/operations.md): swaps
 * started and ended by outcome, the block job's bytes, how long the copy and the pivot took, and the completion
 * call to Cinder. Every meter carries the hypervisor driver ({@code libvirt}, {@code simulated}), since a copy's
 * behaviour depends on it. Named like Cinder's {@code cinder_migration*} meters, under {@code nova_compute_}.
 */
@Component
public class SwapMetrics {

    /** How a swap ended: the pivot happened, the copy failed, or it was stopped on purpose. */
    enum Outcome {
        SUCCESS, ERROR, CANCELLED;

        String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final MeterRegistry registry;
    private final String driver;

    public SwapMetrics(ObjectProvider<MeterRegistry> registry, HypervisorDriver driver) {
        // Without Actuator (a context without the management listener) the global registry, as cinder-volume does.
        this.registry = registry.getIfAvailable(() -> Metrics.globalRegistry);
        this.driver = driverTag(driver.name());
    }

    /** {@code libvirt.LibvirtDriver} → {@code libvirt}: the label stays short and stable across class renames. */
    static String driverTag(String computeDriver) {
        int dot = computeDriver.indexOf('.');
        return dot < 0 ? computeDriver : computeDriver.substring(0, dot);
    }

    /** The swaps in flight on this host, read at each scrape. */
    void running(Supplier<Integer> count) {
        Gauge.builder("nova.compute.swap.volume.running", count, c -> c.get())
                .description("Swap-volume operations running on this compute host").tags("driver", driver)
                .strongReference(true).register(registry);
    }

    /** The compute worker took the swap (Nova's checks passed and the new volume is attached to the server). */
    void started() {
        Counter.builder("nova.compute.swap.volume.started").description("Swap-volume operations started")
                .tags("driver", driver).register(registry).increment();
    }

    /** The swap's end as the guest sees it: on its new disk ({@code success}) or still on the old one. */
    void finished(Outcome outcome) {
        Counter.builder("nova.compute.swap.volume.finished")
                .description("Swap-volume operations ended, by outcome (success, error, cancelled)")
                .tags("driver", driver, "outcome", outcome.tag()).register(registry).increment();
    }

    /** Bytes the block job wrote since its last report (blocks the guest dirtied again are copied again). */
    void copied(long bytes) {
        if (bytes > 0) {
            Counter.builder("nova.compute.block.copy").baseUnit("bytes")
                    .description("Bytes copied by block-copy jobs, including blocks copied again after guest writes")
                    .tags("driver", driver).register(registry).increment(bytes);
        }
    }

    /** The hypervisor's whole swap: from the block copy's start to the pivot, or to the failure. */
    void copyDuration(Outcome outcome, long nanos) {
        Timer.builder("nova.compute.block.copy.duration")
                .description("Duration of block-copy jobs, from the copy's start to the pivot or the failure")
                .tags("driver", driver, "outcome", outcome.tag()).publishPercentileHistogram()
                .register(registry).record(Duration.ofNanos(nanos));
    }

    /** The switch onto the new disk, as the driver measured it (see {@code BlockCopyControl#pivoted}). */
    void pivoted(long nanos) {
        Timer.builder("nova.compute.block.copy.pivot")
                .description("Duration of the pivot onto the new disk")
                .tags("driver", driver).publishPercentileHistogram().register(registry)
                .record(Duration.ofNanos(nanos));
    }

    /**
     * {@code os-migrate_volume_completion}, with its retries: {@code reported} is what Cinder was told
     * ({@code success} or {@code error}), {@code outcome} whether Cinder took it ({@code ok}) or never did.
     */
    void completion(boolean error, boolean taken, long nanos) {
        Timer.builder("nova.compute.cinder.completion")
                .description("Latency of the migration completion call to Cinder, retries included")
                .tags("driver", driver, "reported", error ? "error" : "success", "outcome", taken ? "ok" : "failed")
                .publishPercentileHistogram().register(registry).record(Duration.ofNanos(nanos));
    }

    /** One failed attempt of the completion call: Cinder's HTTP status, or {@code unreachable}. */
    void completionError(RuntimeException e) {
        String status = e instanceof org.openstack.jcinder.compute.cinder.CinderException c
                ? (c.status() == 0 ? "unreachable" : Integer.toString(c.status())) : "exception";
        Counter.builder("nova.compute.cinder.completion.errors")
                .description("Failed attempts of the migration completion call to Cinder, by HTTP status")
                .tags("driver", driver, "status", status).register(registry).increment();
    }
}
