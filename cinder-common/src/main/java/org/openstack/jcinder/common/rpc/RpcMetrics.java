package org.openstack.jcinder.common.rpc;

import java.util.function.Supplier;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * {@code cinder.rpc.client}: every call and cast the {@link RpcClient} makes, timed, by kind, target service,
 * method and outcome (ok, or the exception's simple name: a timeout, an unavailable broker, a remote error).
 */
@Component
public class RpcMetrics {

    private final MeterRegistry registry;

    public RpcMetrics(ObjectProvider<MeterRegistry> registry) {
        this.registry = registry.getIfAvailable(() -> Metrics.globalRegistry);
    }

    <T> T timed(String kind, String topic, String method, Supplier<T> work) {
        long start = System.nanoTime();
        String outcome = "ok";
        try {
            return work.get();
        } catch (RuntimeException e) {
            outcome = e.getClass().getSimpleName();
            throw e;
        } finally {
            Timer.builder("cinder.rpc.client").description("RPC calls and casts made, with their latency")
                    .tags("kind", kind, "service", service(topic), "method", method, "outcome", outcome)
                    .publishPercentileHistogram().register(registry)
                    .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    /** cinder-volume.host@backend → cinder-volume: one series per service, not per host. */
    static String service(String topic) {
        int dot = topic.indexOf('.');
        return dot < 0 ? topic : topic.substring(0, dot);
    }
}
