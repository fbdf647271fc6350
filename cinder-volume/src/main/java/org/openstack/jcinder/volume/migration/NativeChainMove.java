package org.openstack.jcinder.volume.migration;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.openstack.jcinder.common.db.ServiceRepository;
import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.db.VolumeMigrationEntity;
import org.openstack.jcinder.common.volume.ConnectionInfo;
import org.openstack.jcinder.common.volume.MigrationPhase;
import org.openstack.jcinder.volume.copy.CopyEngine;
import org.openstack.jcinder.volume.driver.VolumeDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The native move of a volume with its snapshots ({@code with_snapshots}), for a driver that reaches the
 * destination's storage from this host ({@link VolumeDriver#nativeDestination}: LVM VG to VG). Unlike the
 * driver's own move of a lone volume, which removes the source as soon as its copy is made, the steps are kept
 * apart: the volume's and each snapshot's object created on the destination and filled by the backend's copy
 * engine (progress over all bytes), the rows committed in one transaction, and only then the source's objects
 * removed. A failure or cancel before the commit removes what was created on the destination.
 */
final class NativeChainMove {

    private static final Logger LOG = LoggerFactory.getLogger(NativeChainMove.class);
    private static final long GIB = 1L << 30;

    private final VolumeDriver driver;
    private final CopyEngine copyEngine;
    private final SnapshotChainCopy chainCopy;
    private final MigrationCompletion completion;
    private final ServiceRepository services;
    private final MigrationRecorder recorder;

    NativeChainMove(VolumeDriver driver, CopyEngine copyEngine, SnapshotChainCopy chainCopy,
                    MigrationCompletion completion, ServiceRepository services, MigrationRecorder recorder) {
        this.driver = driver;
        this.copyEngine = copyEngine;
        this.chainCopy = chainCopy;
        this.completion = completion;
        this.services = services;
        this.recorder = recorder;
    }

    /** The destination's storage, when this driver reaches it natively. */
    Optional<VolumeDriver> destinationOf(MigrationJob job) {
        return driver.nativeDestination(job.destination(), job.destinationCapabilities());
    }

    /** Moves the volume and its chain into {@code target}; throws (after cleaning up) when it cannot. */
    void move(MigrationJob job, VolumeDriver target) {
        VolumeEntity v = job.volume();
        VolumeMigrationEntity record = job.record();
        SnapshotTargets snapshotTargets = new SnapshotTargets.Local(target);
        Map<String, String> snapshotCopies = new LinkedHashMap<>();
        boolean sparse = target.newVolumesReadAsZeros();
        boolean volumeCreated = false;
        boolean committed = false;
        try {
            job.control().throwIfCancelled();
            recorder.phase(record, MigrationPhase.CREATING_DESTINATION);
            String location = target.createVolume(v);
            volumeCreated = true;
            LOG.info("Migration of volume {}: created {} on {} natively", v.getId(), location, job.destination());
            copyVolume(job, target, sparse);
            chainCopy.copy(job, snapshotTargets, v.getSize() * GIB, sparse, snapshotCopies);
            recorder.phase(record, MigrationPhase.COMPLETING);
            String serviceUuid = services.findByHostAndBinaryName(job.destination().serviceHost(), "cinder-volume")
                    .map(svc -> svc.getUuid()).orElse(null);
            completion.finishMovedByDriver(v.getId(), job.destination().toString(), serviceUuid, location,
                    snapshotCopies);
            committed = true;
        } finally {
            if (!committed) {
                chainCopy.discard(job, snapshotTargets, snapshotCopies);
                if (volumeCreated) {
                    try {
                        target.terminateConnection(v);
                        target.deleteVolume(v);
                    } catch (RuntimeException e) {
                        LOG.warn("Migration of volume {}: its copy on {} could not be removed: {}", v.getId(),
                                job.destination(), e.getMessage());
                    }
                }
            }
        }
        LOG.info("Migration of volume {} with {} snapshots committed natively: now on {}; removing the old copies",
                v.getId(), job.snapshots().size(), job.destination());
        recorder.succeeded(record);
        chainCopy.deleteSources(job);
        try {
            driver.deleteVolume(v);
        } catch (RuntimeException e) {
            LOG.warn("Migration of volume {}: the old copy could not be removed: {}", v.getId(), e.getMessage());
        }
    }

    private void copyVolume(MigrationJob job, VolumeDriver target, boolean sparse) {
        VolumeEntity v = job.volume();
        long bytes = v.getSize() * GIB;
        long started = System.nanoTime();
        ConnectionInfo dst = target.initializeConnection(v);
        try {
            ConnectionInfo src = driver.initializeConnection(v);
            try {
                LOG.info("Migration of volume {}: copying {} GiB {} -> {} (sparse={})", v.getId(), v.getSize(),
                        src.path(), dst.path(), sparse);
                recorder.copyStarted(job.record());
                CopyProgressLog log = new CopyProgressLog(v.getId(), src.path() + " -> " + dst.path(), bytes, started);
                copyEngine.copy(Path.of(src.path()), Path.of(dst.path()), bytes, sparse,
                        copied -> recorder.copied(job.record(), copied, log.due(copied)), job.control());
            } finally {
                driver.terminateConnection(v);
            }
        } finally {
            target.terminateConnection(v);
        }
        recorder.copied(job.record(), bytes, true);
    }
}
