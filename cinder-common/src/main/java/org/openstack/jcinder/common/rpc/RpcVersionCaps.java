package org.openstack.jcinder.common.rpc;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.openstack.jcinder.common.config.CinderConfig;
import org.openstack.jcinder.common.config.UpgradeLevels;
import org.openstack.jcinder.common.db.ServiceEntity;
import org.openstack.jcinder.common.db.ServiceRepository;
import org.openstack.jcinder.common.exception.ServiceTooOldException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The highest RPC version this process may send to each binary (Cinder's {@code determine_rpc_version_cap}):
 * the newest unless {@code [upgrade_levels]} pins it; {@code auto} is the lowest {@code rpc_current_version} of
 * the binary's non-deleted services (up or down, enabled or not: a stopped old service may come back).
 *
 * <p>An {@code auto} cap is computed at first use and cached, as Cinder caches it until restart (or SIGHUP,
 * here {@link #reset()}); {@code [upgrade_levels] auto_refresh_interval} makes it expire instead, so the pin lifts
 * without a restart once the last old service has registered at the new version. Not cached: the answer "no
 * service of that binary yet" — Cinder then assumes the newest and keeps it, which would pin nothing forever.
 */
@Component
public class RpcVersionCaps {

    private static final Logger LOG = LoggerFactory.getLogger(RpcVersionCaps.class);

    private record Cached(String version, long atNanos) {
    }

    private final UpgradeLevels levels;
    private final ObjectProvider<ServiceRepository> services;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public RpcVersionCaps(CinderConfig config, ObjectProvider<ServiceRepository> services) {
        this.levels = config.upgradeLevels();
        this.services = services;
    }

    /** The cap for messages to {@code binary}, never above {@code newest} (what this code speaks). */
    public String cap(String binary, String newest) {
        Optional<String> pin = levels.pinOf(binary);
        if (pin.isEmpty()) {
            return newest;
        }
        if (!UpgradeLevels.AUTO.equals(pin.get())) {
            return RpcVersion.min(pin.get(), newest);
        }
        Cached cached = cache.get(binary);
        Duration refresh = levels.autoRefresh();
        if (cached != null && (refresh.isZero() || System.nanoTime() - cached.atNanos() < refresh.toNanos())) {
            return RpcVersion.min(cached.version(), newest);
        }
        Optional<String> lowest = lowestRegistered(binary);
        if (lowest.isEmpty()) {
            return newest;
        }
        if (cached == null || !cached.version().equals(lowest.get())) {
            LOG.info("Automatically selected {} RPC version {} as minimum service version", binary, lowest.get());
        }
        cache.put(binary, new Cached(lowest.get(), System.nanoTime()));
        return RpcVersion.min(lowest.get(), newest);
    }

    /** Forgets the {@code auto} caps (Cinder's manager {@code reset()} on SIGHUP): the next message recomputes. */
    public void reset() {
        LOG.info("Resetting cached RPC version pins");
        cache.clear();
    }

    private Optional<String> lowestRegistered(String binary) {
        ServiceRepository repository = services.getIfAvailable();
        if (repository == null) {
            LOG.warn("[upgrade_levels] {} = auto but this process has no database: sending at the newest version",
                    binary);
            return Optional.empty();
        }
        List<ServiceEntity> rows = repository.findByBinaryNameAndDeletedFalse(binary);
        for (ServiceEntity row : rows) {
            if (row.getRpcCurrentVersion() == null) {
                // As Cinder for a Liberty row: a service that never recorded its version cannot be reasoned about.
                throw new ServiceTooOldException("Service " + binary + " on " + row.getHost() + " has not recorded "
                        + "the RPC version it serves (it has not registered since the upgrade that added "
                        + "rpc_current_version): restart it, or remove its stale service record, before relying on "
                        + "[upgrade_levels] " + binary + " = auto.");
            }
        }
        return rows.stream().map(ServiceEntity::getRpcCurrentVersion).min(RpcVersion.ORDER);
    }
}
