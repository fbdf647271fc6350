package org.openstack.jcinder.volume.migration;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.openstack.jcinder.common.db.Clock;
import org.openstack.jcinder.common.db.ServiceRepository;
import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.db.VolumeMigrationEntity;
import org.openstack.jcinder.common.db.VolumeRepository;
import org.openstack.jcinder.common.service.ServiceRegistry;
import org.openstack.jcinder.common.volume.BackendHost;
import org.openstack.jcinder.common.volume.MigrationPath;
import org.openstack.jcinder.common.volume.MigrationPhase;
import org.openstack.jcinder.common.volume.MigrationStatus;
import org.openstack.jcinder.common.volume.VolumeStatus;
import org.openstack.jcinder.shared.context.RequestContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The migration reconciler of one backend, run at start and every {@code migration_reconcile_interval}, so no
 * migration stays half-way and no temporary volume outlives its migration, whichever process dies and whichever
 * starts first (Cinder leaves such volumes in {@code migrating} for ever):
 * <ul>
 *   <li>its own migrations that no thread of this process runs (at start: all of them, its previous life
 *       died) are resumed from their checkpoints when they can be ({@code migration_resume}), else failed;</li>
 *   <li>a temporary volume on this backend whose migration has ended, or whose owner (the source's volume
 *       service, which runs the copy) is down — heartbeat older than {@code service_down_time} — is deleted
 *       through the normal delete path (an RPC {@code delete_volume} to this backend), the owner's migration
 *       failed first;</li>
 *   <li>a temporary volume whose deletion was queued but never happened (its service died) is queued again.</li>
 * </ul>
 * Every change is a conditional update, so two reconcilers, or a reconciler and a live owner, never both act:
 * the owner's commit requires the source still migrating and the temporary row still its target. Attached
 * migrations copied by the compute service are left alone: the guest may already run on the new volume.
 */
final class MigrationRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(MigrationRecovery.class);

    /** Resumes one interrupted host copy: the volume, its open record, its temporary volume's id. */
    interface Resumer {
        void resume(VolumeEntity volume, VolumeMigrationEntity record, String targetId);
    }

    private final String serviceHost;
    private final VolumeRepository volumes;
    private final MigrationRecorder recorder;
    private final ServiceRepository services;
    private final ServiceRegistry registry;
    private final MigrationTargets targets;
    private final boolean resume;
    private final Duration interval;

    MigrationRecovery(String serviceHost, VolumeRepository volumes, MigrationRecorder recorder,
                      ServiceRepository services, ServiceRegistry registry, MigrationTargets targets, boolean resume,
                      Duration interval) {
        this.serviceHost = serviceHost;
        this.volumes = volumes;
        this.recorder = recorder;
        this.services = services;
        this.registry = registry;
        this.targets = targets;
        this.resume = resume;
        this.interval = interval;
    }

    /** At start: nothing of this backend's migrations runs here yet. */
    void recoverAfterRestart(Resumer resumer) {
        takeOverOwnMigrations(Set.of(), true, resumer);
        reconcileTargets();
    }

    /** Every interval: {@code running} are the volumes whose migration a thread of this process runs. */
    void reconcile(Set<String> running) {
        takeOverOwnMigrations(running, false, null);
        reconcileTargets();
    }

    private void takeOverOwnMigrations(Set<String> running, boolean atStart, Resumer resumer) {
        // At start also "starting" (its request died with the process); later that may be a request on its way.
        List<MigrationStatus> states = atStart ? MigrationStatus.ACTIVE
                : List.of(MigrationStatus.MIGRATING, MigrationStatus.COMPLETING);
        for (VolumeEntity v : volumes.findByHostStartingWithAndMigrationStatusInAndDeletedFalse(serviceHost + "#",
                states)) {
            if (running.contains(v.getId())) {
                continue;
            }
            Optional<VolumeMigrationEntity> record = recorder.open(v.getId());
            if (record.map(r -> r.getState() == MigrationPhase.QUEUED).orElse(false)) {
                // Waiting for a slot, not interrupted: it keeps its place and the migrator admits it in its turn.
                continue;
            }
            if (record.filter(r -> r.getPath() == MigrationPath.ATTACHED && r.getState().inComputeService())
                    .isPresent()) {
                // The copy runs in the compute service, not here: the guest may already be on the temporary
                // volume, so failing the migration (and deleting that volume) could lose the guest's data.
                // Nova's completion finishes it as if nothing had happened.
                LOG.warn("Migration of attached volume {} survives the restart of {}: the compute service is "
                        + "copying it and will call os-migrate_volume_completion", v.getId(), serviceHost);
                continue;
            }
            if (!atStart && record.map(r -> r.getUpdatedAt() != null
                    && r.getUpdatedAt().isAfter(Clock.now().minus(interval))).orElse(false)) {
                continue; // a migration that has just started may not be registered yet: the next pass decides
            }
            Optional<String> target = atStart && resume ? resumableTarget(v, record) : Optional.empty();
            if (target.isPresent()) {
                LOG.warn("Migration of volume {} was interrupted by a restart of {}; resuming its copy into {}",
                        v.getId(), serviceHost, target.get());
                resumer.resume(v, record.get(), target.get());
                continue;
            }
            String reason = "interrupted by a restart of " + serviceHost;
            LOG.warn("Migration of volume {} was interrupted by a restart of {}; marking it failed", v.getId(),
                    serviceHost);
            if (volumes.failMigration(v.getId(), MigrationStatus.ACTIVE, reason, Clock.now()) > 0) {
                record.ifPresent(r -> recorder.failed(r, reason));
            }
        }
    }

    /**
     * The temporary volume a host copy can go on with: the record's, still this migration's target, created
     * (available), on a destination whose service is up.
     */
    private Optional<String> resumableTarget(VolumeEntity v, Optional<VolumeMigrationEntity> record) {
        if (record.isEmpty() || record.get().getPath() != MigrationPath.GENERIC
                || record.get().getTargetVolumeId() == null || v.getMigrationStatus() != MigrationStatus.MIGRATING) {
            return Optional.empty();
        }
        String targetId = record.get().getTargetVolumeId();
        return volumes.findByIdAndDeletedFalse(targetId)
                .filter(t -> MigrationStatus.target(v.getId()).equals(t.getMigrationStatus()))
                .filter(t -> t.getStatus() == VolumeStatus.AVAILABLE)
                .filter(t -> serviceUp(t.getHost()))
                .map(VolumeEntity::getId);
    }

    private void reconcileTargets() {
        LocalDateTime stale = Clock.now().minus(interval);
        for (VolumeEntity t : volumes.findByHostStartingWithAndDeletedFalse(serviceHost + "#")) {
            try {
                if (t.getMigrationStatus() instanceof MigrationStatus.Target target) {
                    reconcileTarget(t, target.sourceId());
                } else if (t.getMigrationStatus() == MigrationStatus.DELETING && t.getUpdatedAt() != null
                        && t.getUpdatedAt().isBefore(stale)) {
                    requeueDelete(t);
                }
            } catch (RuntimeException e) {
                LOG.error("Reconciling temporary volume {} on {} failed: {}", t.getId(), serviceHost, e.getMessage());
            }
        }
    }

    private void reconcileTarget(VolumeEntity t, String sourceId) {
        VolumeEntity src = volumes.findByIdAndDeletedFalse(sourceId).orElse(null);
        if (src == null || !MigrationStatus.isActive(src.getMigrationStatus())) {
            LOG.warn("Deleting temporary volume {} on {}: the migration of volume {} has ended", t.getId(),
                    serviceHost, sourceId);
            discard(t, sourceId);
            return;
        }
        Optional<VolumeMigrationEntity> record = recorder.open(sourceId);
        if (record.filter(r -> r.getPath() == MigrationPath.ATTACHED).isPresent()) {
            return; // the compute service's swap: its completion or error decides
        }
        String current = record.map(VolumeMigrationEntity::getTargetVolumeId).orElse(null);
        if (current != null && !current.equals(t.getId())) {
            LOG.warn("Deleting temporary volume {} on {}: left by an earlier migration of volume {}", t.getId(),
                    serviceHost, sourceId);
            discard(t, sourceId);
            return;
        }
        if (serviceUp(src.getHost())) {
            return; // a live owner runs it (or resumes it): never race it
        }
        String reason = "the volume service running the migration (" + BackendHost.parse(src.getHost()).serviceHost()
                + ") is down";
        if (volumes.failMigration(sourceId, MigrationStatus.ACTIVE, reason, Clock.now()) > 0) {
            LOG.warn("Migration of volume {} failed by {}: {}; deleting its temporary volume {}", sourceId,
                    serviceHost, reason, t.getId());
            record.ifPresent(r -> recorder.failed(r, reason));
        }
        discard(t, sourceId);
    }

    /** Deletes the temporary volume through the normal path: status deleting, then delete_volume on its backend. */
    private void discard(VolumeEntity t, String sourceId) {
        targets.discard(RequestContext.internal(), sourceId, t.getId(), BackendHost.parse(t.getHost()));
    }

    /** A deletion queued to a service that died before doing it (or failed): queued again. */
    private void requeueDelete(VolumeEntity t) {
        if (t.getStatus() == VolumeStatus.ERROR_DELETING) {
            volumes.compareAndSetStatus(t.getId(), List.of(VolumeStatus.ERROR_DELETING), VolumeStatus.DELETING,
                    Clock.now());
        } else if (t.getStatus() != VolumeStatus.DELETING) {
            return;
        } else {
            // Touch the row so the next pass waits another interval for this request.
            volumes.compareAndSetStatus(t.getId(), List.of(VolumeStatus.DELETING), VolumeStatus.DELETING,
                    Clock.now());
        }
        LOG.warn("Temporary volume {} on {} is still not deleted; queueing its deletion again", t.getId(),
                serviceHost);
        targets.redelete(RequestContext.internal(), t.getId(), BackendHost.parse(t.getHost()));
    }

    /** Whether the volume service of {@code host} (host@backend[#pool]) heartbeats within service_down_time. */
    private boolean serviceUp(String host) {
        String service = BackendHost.parse(host).serviceHost();
        return services.findByHostAndBinaryName(service, ServiceRegistry.VOLUME_BINARY)
                .filter(s -> !s.isDeleted())
                .map(registry::isUp)
                .orElse(false);
    }
}
