package org.openstack.jcinder.api.actions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.common.db.ServiceRepository;
import org.openstack.jcinder.common.db.SnapshotEntity;
import org.openstack.jcinder.common.db.SnapshotRepository;
import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.db.VolumeMigrationEntity;
import org.openstack.jcinder.common.db.VolumeMigrationRepository;
import org.openstack.jcinder.common.exception.CinderException;
import org.openstack.jcinder.common.rpc.scheduler.SchedulerRpcApi;
import org.openstack.jcinder.common.rpc.volume.VolumeRpcApi;
import org.openstack.jcinder.common.service.ServiceRegistry;
import org.openstack.jcinder.common.volume.BackendHost;
import org.openstack.jcinder.common.volume.MigrationPath;
import org.openstack.jcinder.common.volume.MigrationPhase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * {@code os-migrate_volume} with {@code "dry_run": true} (this project's extension): what the request would do,
 * changing nothing. The API's checks ({@link MigrationChecks}, every one, in the request's order, each with the
 * code and message the request would answer), the scheduler's destination check (asked over RPC, with no
 * capacity consumed: a refusal there is what the real request's migration would end with, after a 202), the
 * path the source backend would take and why not the others (asked over RPC; its driver decides from the
 * destination's capabilities), the destination pool's capacity after the move, and an estimated duration from
 * the source backend's recent successful migrations. With {@code with_snapshots} the same as the request: its
 * checks (detached, every snapshot available), the scheduler asked for room for the volume and its snapshots, the
 * path predicted for the chain, and the snapshots that would move (count, total size, each one's status).
 */
@Component
public class MigrationDryRun {

    private static final Logger LOG = LoggerFactory.getLogger(MigrationDryRun.class);
    private static final long GIB = 1L << 30;
    /**
     * How long a dry-run waits for the source backend's plan. It is an interactive preview: a source whose
     * heartbeat is fresh but which does not answer (hung, or busy with long tasks on every worker) leaves the
     * path to run time after this, rather than holding the request for the whole {@code rpc_response_timeout}.
     */
    static final Duration PLAN_TIMEOUT = Duration.ofSeconds(10);

    /** The migration as the request's body gave it. */
    public record Ask(String host, String cluster, boolean forceHostCopy, boolean lock, Long bpsLimit,
                      Map<String, String> extraSpecs, boolean withSnapshots) {
    }

    private final MigrationChecks checks;
    private final SchedulerRpcApi scheduler;
    private final VolumeRpcApi volumeRpc;
    private final ServiceRepository services;
    private final ServiceRegistry registry;
    private final VolumeMigrationRepository migrations;
    private final SnapshotRepository snapshots;

    public MigrationDryRun(MigrationChecks checks, SchedulerRpcApi scheduler, VolumeRpcApi volumeRpc,
                           ServiceRepository services, ServiceRegistry registry, VolumeMigrationRepository migrations,
                           SnapshotRepository snapshots) {
        this.snapshots = snapshots;
        this.checks = checks;
        this.scheduler = scheduler;
        this.volumeRpc = volumeRpc;
        this.services = services;
        this.registry = registry;
        this.migrations = migrations;
    }

    public Map<String, Object> answer(ApiRequest req, VolumeEntity v, Ask ask) {
        List<Map<String, Object>> blockers = new ArrayList<>();
        for (CinderException e : checks.all(new MigrationChecks.Target(v, ask.host(), ask.cluster(),
                ask.withSnapshots(), ask.bpsLimit()))) {
            blockers.add(blocker(e.code(), e.getMessage(), "api"));
        }
        // with_snapshots: the chain moves too, and the scheduler must find room for all of it, as the request asks.
        List<SnapshotEntity> chain = ask.withSnapshots()
                ? snapshots.findByVolumeIdAndDeletedFalseOrderByCreatedAtAscIdAsc(v.getId()) : List.of();
        int sizeGb = v.getSize() + chain.stream().mapToInt(SnapshotEntity::getVolumeSize).sum();
        BackendHost destination = parse(ask.host());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("volume_id", v.getId());
        out.put("source_host", v.getHost());
        out.put("destination_host", ask.host());
        String path = null;
        Map<String, String> notTaken = Map.of();
        String pathDetail = null;
        Map<String, Object> dest = null;
        long keepSource = 0;
        if (destination != null && v.getHost() != null) {
            SchedulerRpcApi.DestinationCheck check = scheduler.checkMigrationDestination(req.context(),
                    new SchedulerRpcApi.MigrateVolumeRequest(v.getId(), ask.host(), ask.forceHostCopy(), sizeGb,
                            ask.extraSpecs(), ask.bpsLimit(), ask.withSnapshots()));
            if (!check.accepted()) {
                // The real request answers 202 and its migration ends in error with this reason.
                Map<String, Object> b = blocker(202, check.reason(), "scheduler");
                b.put("migration_status", "error");
                blockers.add(b);
                pathDetail = "no path: the scheduler refuses the destination";
            } else {
                dest = destination(check, sizeGb);
                BackendHost source = BackendHost.parse(v.getHost());
                if (!sourceUp(source)) {
                    pathDetail = "decided at run time: the source backend " + source.serviceHost() + " is not up";
                } else {
                    try {
                        VolumeRpcApi.MigrationPlan plan = volumeRpc.migrationPlan(req.context(), source,
                                new VolumeRpcApi.MigrateVolume(v.getId(), check.pool(), check.capabilities(),
                                        ask.forceHostCopy(), null, ask.bpsLimit(), ask.withSnapshots()),
                                PLAN_TIMEOUT);
                        path = plan.path();
                        notTaken = plan.notTaken();
                        keepSource = plan.keepSourceSeconds();
                        if (MigrationPath.DRIVER.wire().equals(path)) {
                            pathDetail = "the driver's own move is expected; should it fail at run time, the "
                                    + "generic copy follows";
                        }
                    } catch (RuntimeException e) {
                        pathDetail = "decided at run time: the source backend did not answer (" + e.getMessage() + ")";
                    }
                }
            }
        }
        out.put("would_succeed", blockers.isEmpty());
        out.put("path", path);
        out.put("path_detail", pathDetail);
        out.put("paths_not_taken", notTaken);
        out.put("blockers", blockers);
        out.put("destination", dest);
        out.put("force_host_copy", ask.forceHostCopy());
        out.put("lock_volume", ask.lock());
        out.put("bps_limit", ask.bpsLimit());
        out.put("with_snapshots", ask.withSnapshots());
        if (ask.withSnapshots()) {
            out.put("snapshots", snapshots(chain));
        }
        // After success the old copy is kept this long for os-migrate_volume_revert (0: deleted at once).
        out.put("keep_source_seconds", keepSource);
        putEstimate(out, v, sizeGb, path, ask.bpsLimit());
        LOG.info("Dry-run of the migration of volume {} from {} to {}: would_succeed={}, path={}, {} blocker(s)",
                v.getId(), v.getHost(), ask.host(), blockers.isEmpty(), path, blockers.size());
        return Map.of("migration_dry_run", out);
    }

    private boolean sourceUp(BackendHost source) {
        return services.findByHostAndBinaryName(source.serviceHost(), ServiceRegistry.VOLUME_BINARY)
                .filter(s -> !s.isDeleted() && registry.isUp(s)).isPresent();
    }

    private static Map<String, Object> destination(SchedulerRpcApi.DestinationCheck check, int sizeGb) {
        Map<String, Object> caps = check.capabilities();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("pool", check.pool());
        d.put("total_capacity_gb", caps.get("total_capacity_gb"));
        Object free = caps.get("free_capacity_gb");
        d.put("free_capacity_gb", free);
        d.put("free_capacity_gb_after", free instanceof Number n ? n.doubleValue() - sizeGb : null);
        d.put("thin_provisioning_support", caps.get("thin_provisioning_support"));
        return d;
    }

    /**
     * The copy rate of the source backend's latest successful migrations (of the predicted path when it has some,
     * else of any): total bytes over total time, the copy's time when recorded, else the whole attempt's; capped
     * by the request's {@code bps_limit}.
     */
    private void putEstimate(Map<String, Object> out, VolumeEntity v, int sizeGb, String path, Long bpsLimit) {
        Long seconds = null;
        Long rate = null;
        int basis = 0;
        if (v.getHost() != null) {
            String backend = BackendHost.parse(v.getHost()).serviceHost();
            List<VolumeMigrationEntity> recent = migrations
                    .findTop20BySourceHostStartingWithAndStateOrderByCreatedAtDesc(backend + "#", MigrationPhase.SUCCESS)
                    .stream().filter(m -> m.getFinishedAt() != null && m.getBytesTotal() > 0).toList();
            List<VolumeMigrationEntity> samePath = recent.stream()
                    .filter(m -> m.getPath() != null && m.getPath().wire().equals(path)).toList();
            List<VolumeMigrationEntity> used = samePath.isEmpty() ? recent : samePath;
            long bytes = 0;
            double secs = 0;
            for (VolumeMigrationEntity m : used) {
                bytes += m.getBytesTotal();
                secs += Duration.between(m.getCopyStartedAt() != null ? m.getCopyStartedAt() : m.getCreatedAt(),
                        m.getFinishedAt()).toMillis() / 1000.0;
            }
            basis = used.size();
            if (bytes > 0) {
                double r = bytes / Math.max(0.001, secs);
                if (bpsLimit != null && bpsLimit > 0) {
                    r = Math.min(r, bpsLimit);
                }
                rate = Math.round(r);
                seconds = Math.round(Math.ceil(sizeGb * GIB / r));
            }
        }
        out.put("estimated_seconds", seconds);
        out.put("estimate_basis", Map.of("migrations", basis, "rate_bytes_per_second", rate == null ? 0 : rate));
    }

    /**
     * The snapshots that would move, oldest first (the order they are copied in): how many, their total size, and
     * each one's id, size and status (one not {@code available} is what the state blocker is about).
     */
    private static Map<String, Object> snapshots(List<SnapshotEntity> chain) {
        List<Map<String, Object>> each = new ArrayList<>();
        for (SnapshotEntity s : chain) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", s.getId());
            m.put("size", s.getVolumeSize());
            m.put("status", s.getStatus());
            each.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("count", chain.size());
        out.put("total_size_gb", chain.stream().mapToInt(SnapshotEntity::getVolumeSize).sum());
        out.put("not_available", chain.stream().filter(s -> !"available".equals(s.getStatus()))
                .map(SnapshotEntity::getId).toList());
        out.put("snapshots", each);
        return out;
    }

    private static Map<String, Object> blocker(int code, String message, String check) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("code", code);
        b.put("message", message);
        b.put("check", check);
        return b;
    }

    private static BackendHost parse(String host) {
        try {
            return host == null || host.isBlank() ? null : BackendHost.parse(host);
        } catch (CinderException e) {
            return null;
        }
    }
}
