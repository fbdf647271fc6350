package org.openstack.jcinder.volume.migration;

import java.nio.file.Path;
import java.util.Map;

import org.openstack.jcinder.common.db.SnapshotEntity;
import org.openstack.jcinder.common.db.VolumeMigrationEntity;
import org.openstack.jcinder.common.volume.ConnectionInfo;
import org.openstack.jcinder.volume.copy.CopyEngine;
import org.openstack.jcinder.volume.driver.VolumeDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the snapshots of a volume moved {@code with_snapshots} into their copies on the destination, one after
 * the other, through the backend's copy engine, so the migration's progress counts every byte (volume and
 * snapshots) and a cancel or bandwidth change reaches the snapshot copies as it reaches the volume's. Nothing of
 * the source is changed here; the copies it made are listed for the caller, which discards them unless it commits.
 */
final class SnapshotChainCopy {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotChainCopy.class);
    private static final long GIB = 1L << 30;

    private final VolumeDriver source;
    private final CopyEngine copyEngine;
    private final MigrationRecorder recorder;

    SnapshotChainCopy(VolumeDriver source, CopyEngine copyEngine, MigrationRecorder recorder) {
        this.source = source;
        this.copyEngine = copyEngine;
        this.recorder = recorder;
    }

    /**
     * Copies each of the job's snapshots after {@code bytesBefore} bytes already copied. {@code created} receives
     * each copy's provider location, by snapshot id, as soon as it exists on the destination (before its data is
     * copied), so that a failure at any point leaves the caller the list of what to discard.
     */
    void copy(MigrationJob job, SnapshotTargets targets, long bytesBefore, boolean sparse,
              Map<String, String> created) {
        VolumeMigrationEntity record = job.record();
        long done = bytesBefore;
        for (SnapshotEntity s : job.snapshots()) {
            job.control().throwIfCancelled();
            long bytes = s.getVolumeSize() * GIB;
            long offset = done;
            LOG.info("Migration of volume {}: creating the copy of snapshot {} on {}", job.volume().getId(),
                    s.getId(), job.destination());
            created.put(s.getId(), targets.create(s));
            long started = System.nanoTime();
            ConnectionInfo dst = targets.connect(s);
            try {
                ConnectionInfo src = source.initializeSnapshotConnection(s);
                try {
                    LOG.info("Migration of volume {}: copying snapshot {} ({} GiB) {} -> {} (sparse={})",
                            job.volume().getId(), s.getId(), s.getVolumeSize(), src.path(), dst.path(), sparse);
                    CopyProgressLog log = new CopyProgressLog(job.volume().getId(), src.path() + " -> " + dst.path(),
                            bytes, started);
                    copyEngine.copy(Path.of(src.path()), Path.of(dst.path()), bytes, sparse,
                            copied -> recorder.copied(record, offset + copied, log.due(copied)), job.control());
                } finally {
                    source.terminateSnapshotConnection(s);
                }
            } finally {
                try {
                    targets.disconnect(s);
                } catch (RuntimeException e) {
                    LOG.warn("Could not release the destination's connection of snapshot {}: {}", s.getId(),
                            e.getMessage());
                }
            }
            done += bytes;
            recorder.copied(record, done, true);
            LOG.info("Migration of volume {}: copied snapshot {} to {}", job.volume().getId(), s.getId(),
                    job.destination());
        }
    }

    /** Removes the copies a failed or cancelled migration made; the source's snapshots were never touched. */
    void discard(MigrationJob job, SnapshotTargets targets, Map<String, String> created) {
        for (SnapshotEntity s : job.snapshots()) {
            if (!created.containsKey(s.getId())) {
                continue;
            }
            try {
                targets.discard(s);
                LOG.info("Migration of volume {}: removed the copy of snapshot {} from {}", job.volume().getId(),
                        s.getId(), job.destination());
            } catch (RuntimeException e) {
                LOG.warn("Migration of volume {}: the copy of snapshot {} on {} could not be removed: {}",
                        job.volume().getId(), s.getId(), job.destination(), e.getMessage());
            }
        }
    }

    /** After the commit: the source's snapshot objects are the old copies now, and go. */
    void deleteSources(MigrationJob job) {
        for (SnapshotEntity s : job.snapshots()) {
            try {
                source.deleteSnapshot(s);
            } catch (RuntimeException e) {
                LOG.warn("Migration of volume {}: the old copy of snapshot {} could not be removed: {}",
                        job.volume().getId(), s.getId(), e.getMessage());
            }
        }
    }
}
