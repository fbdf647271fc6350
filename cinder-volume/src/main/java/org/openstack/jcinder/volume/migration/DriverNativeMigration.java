package org.openstack.jcinder.volume.migration;

import org.openstack.jcinder.common.quota.VolumeQuotas;
import org.openstack.jcinder.common.db.Clock;
import org.openstack.jcinder.common.db.ServiceRepository;
import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.db.VolumeMigrationEntity;
import org.openstack.jcinder.common.db.VolumeRepository;
import org.openstack.jcinder.common.volume.MigrationPath;
import org.openstack.jcinder.volume.copy.CopyCancelledException;
import org.openstack.jcinder.volume.driver.VolumeDriver;
import org.openstack.jcinder.volume.driver.VolumeDriver.MoveResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * [1] The backend moves the volume itself (Cinder's {@code driver.migrate_volume}) — only when it is detached
 * and no host copy is forced. A driver that cannot, or fails, answers "not moved": the reason is noted on the
 * migration and the generic copy runs next (Cinder stops with an error instead). A cancel is not a failure: it
 * ends the migration.
 */
final class DriverNativeMigration implements MigrationStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(DriverNativeMigration.class);

    private final VolumeQuotas quotas;
    private final VolumeDriver driver;
    private final VolumeRepository volumes;
    private final ServiceRepository services;
    private final MigrationRecorder recorder;
    private final NativeChainMove chain;
    private final KeptSources kept;
    /** {@code migration_keep_source}: with it the driver leaves the old object, kept for that many seconds. */
    private final long keepSourceSeconds;

    DriverNativeMigration(VolumeDriver driver, VolumeRepository volumes, ServiceRepository services,
                          MigrationRecorder recorder, VolumeQuotas quotas, NativeChainMove chain, KeptSources kept,
                          long keepSourceSeconds) {
        this.chain = chain;
        this.kept = kept;
        this.keepSourceSeconds = keepSourceSeconds;
        this.quotas = quotas;
        this.driver = driver;
        this.volumes = volumes;
        this.services = services;
        this.recorder = recorder;
    }

    @Override
    public MigrationPath path() {
        return MigrationPath.DRIVER;
    }

    @Override
    public Fitness fitness(MigrationJob job) {
        return job.attached() || job.forceHostCopy() ? Fitness.CANNOT : Fitness.HIGHEST;
    }

    @Override
    public String refusal(MigrationJob job) {
        if (job.attached()) {
            return "the volume is attached: a driver moves only detached volumes";
        }
        if (job.forceHostCopy()) {
            return "force_host_copy is set";
        }
        if (job.withSnapshots()) {
            // The chain moves natively only into a destination this driver reaches (migrateWithSnapshots).
            return chain.destinationOf(job).isPresent() ? null
                    : "the driver cannot reach the destination natively with snapshots";
        }
        String reason = driver.nativeMigrationRefusal(job.volume(), job.destination(), job.destinationCapabilities());
        return reason == null ? null : "the driver would not move it: " + reason;
    }

    /** True when the driver moved the volume; a driver's failure is recorded and answered as "not moved". */
    @Override
    public boolean migrate(MigrationJob job) {
        if (job.withSnapshots()) {
            return migrateWithSnapshots(job);
        }
        VolumeEntity v = job.volume();
        VolumeMigrationEntity record = job.record();
        MoveResult result;
        try {
            result = driver.migrateVolume(v, job.destination(), job.destinationCapabilities(), job.control(),
                    keepSourceSeconds > 0);
        } catch (CopyCancelledException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warn("Driver migration of volume {} to {} failed, falling back to a host copy: {}", v.getId(),
                    job.destination(), e.getMessage());
            recorder.note(record, "driver migration failed: " + e.getMessage());
            return false;
        }
        if (!result.moved()) {
            LOG.info("Driver did not move volume {} ({}); copying through the host", v.getId(), result.reason());
            recorder.note(record, "driver did not move: " + result.reason());
            return false;
        }
        String serviceUuid = services.findByHostAndBinaryName(job.destination().serviceHost(), "cinder-volume")
                .map(svc -> svc.getUuid()).orElse(null);
        // The record first: whoever sees the volume's "success" also sees which path moved it.
        record.setBytesCopied(record.getBytesTotal());
        recorder.path(record, path(), null);
        // With a retype the type changes here: the per-type quota counts move in the same transaction.
        quotas.changingType(v.getId(), () -> volumes.finishMovedByDriver(v.getId(), job.destination().toString(),
                serviceUuid, result.providerLocation(), job.newTypeId(), Clock.now()));
        if (keepSourceSeconds > 0) {
            kept.keepMovedByDriver(record, v, keepSourceSeconds);
        }
        recorder.succeeded(record);
        LOG.info("Migration of volume {} to {} done by the driver", v.getId(), job.destination());
        return true;
    }

    /**
     * {@code with_snapshots}: the chain moves natively only where the driver reaches the destination's storage;
     * otherwise, or when the native move fails (its copies removed again), the generic path moves it.
     */
    private boolean migrateWithSnapshots(MigrationJob job) {
        VolumeEntity v = job.volume();
        var target = chain.destinationOf(job);
        if (target.isEmpty()) {
            LOG.info("Driver cannot reach {} natively; volume {} and its snapshots are copied through the host",
                    job.destination(), v.getId());
            recorder.note(job.record(), "driver did not move: destination not reachable natively with snapshots");
            return false;
        }
        recorder.path(job.record(), path(), null);
        try {
            chain.move(job, target.get());
            return true;
        } catch (CopyCancelledException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warn("Native migration of volume {} with its snapshots to {} failed, falling back to a host copy: {}",
                    v.getId(), job.destination(), e.getMessage());
            recorder.note(job.record(), "driver migration failed: " + e.getMessage());
            return false;
        }
    }
}
