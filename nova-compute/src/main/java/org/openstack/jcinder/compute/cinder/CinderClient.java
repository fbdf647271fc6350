package org.openstack.jcinder.compute.cinder;

import java.util.List;

import org.openstack.jcinder.compute.context.CallerContext;

/**
 * What the compute service asks of Cinder, as Nova's {@code nova.volume.cinder.API} does: read a volume, walk
 * an attachment through create → update (connect) → complete → delete, and tell Cinder a swap it asked for is
 * over. Every call carries the caller's token. Failures raise {@link CinderException}.
 */
public interface CinderClient {

    Volume volume(CallerContext ctx, String volumeId);

    /** Reserves the volume for the instance (Cinder: status {@code reserved}); returns the attachment id. */
    String attachmentCreate(CallerContext ctx, String volumeId, String instanceUuid);

    /** Gives Cinder this host's connector and gets how to reach the volume here. */
    Connection attachmentUpdate(CallerContext ctx, String attachmentId, String host, String mountpoint);

    void attachmentComplete(CallerContext ctx, String attachmentId);

    void attachmentDelete(CallerContext ctx, String attachmentId);

    /** {@code os-migrate_volume_completion}; returns the volume id the server should keep ({@code save_volume_id}). */
    String migrateVolumeCompletion(CallerContext ctx, String oldVolumeId, String newVolumeId, boolean error);

    /**
     * {@code os-migrate_volume_progress} (this project's Cinder extension): how far the block job of a swap that
     * Cinder asked for has got, so the migration's progress shows in Cinder's API. Cinder answers with what an
     * administrator asked of the copy since: a bandwidth limit, a cancel.
     */
    CopyRequests reportMigrationProgress(CallerContext ctx, String oldVolumeId, String newVolumeId, long copied,
                                         long total);

    /** {@code bpsLimit} null when none was set (0 = unlimited). */
    record CopyRequests(Long bpsLimit, boolean cancel) {
    }

    /** A Cinder volume as far as the compute side cares. */
    record Volume(String id, int sizeGb, String status, String migrationStatus, List<String> attachedServers) {
    }

    /**
     * {@code connection_info}: the driver type and the device or file on this host, or for
     * {@code driver_volume_type: iscsi} the LUN ({@code devicePath} is then null).
     */
    record Connection(String driverVolumeType, String devicePath, Iscsi iscsi) {
        public Connection(String driverVolumeType, String devicePath) {
            this(driverVolumeType, devicePath, null);
        }

        public boolean blockDevice() {
            return !driverVolumeType.equals("file") && !driverVolumeType.equals("local_file");
        }
    }

    /** Cinder's iSCSI {@code connection_info} data (one path); {@link #toString()} leaves the password out. */
    record Iscsi(String targetPortal, String targetIqn, int targetLun, String authMethod, String authUsername,
                 String authPassword) {
        @Override
        public String toString() {
            return "iscsi://" + targetPortal + "/" + targetIqn + "/" + targetLun;
        }
    }
}
