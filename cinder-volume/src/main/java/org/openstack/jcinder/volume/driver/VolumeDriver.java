package org.openstack.jcinder.volume.driver;

import org.openstack.jcinder.common.capability.BackendCapabilities;
import java.util.Map;

import org.openstack.jcinder.common.db.SnapshotEntity;
import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.volume.ConnectionInfo;
import org.openstack.jcinder.common.volume.MigratedName;
import org.openstack.jcinder.common.volume.BackendHost;
import org.openstack.jcinder.common.volume.VolumeStatus;
import org.openstack.jcinder.volume.copy.CopyControl;

/**
 * One storage backend. The manager owns the volume's state; a driver only touches storage, and says what it
 * did through return values and {@link org.openstack.jcinder.common.exception.VolumeDriverException}.
 */
public interface VolumeDriver {

    /**
     * Checks that the storage is there and usable. Throws with a reason an operator can act on; the backend
     * then reports itself down and refuses work, while the other backends of the service keep working.
     */
    void setup();

    /** Creates the backing object of {@code volume.backendName()}; returns the provider location. */
    String createVolume(VolumeEntity volume);

    /** Deletes the backing object; a missing object is not an error (delete must be repeatable). */
    void deleteVolume(VolumeEntity volume);

    /**
     * Grows the backing object to {@code newSizeGb} GiB; the bytes already there stay where they are. A driver
     * that cannot grow a volume throws with the reason.
     */
    default void extendVolume(VolumeEntity volume, int newSizeGb) {
        throw new org.openstack.jcinder.common.exception.VolumeDriverException(
                getClass().getSimpleName() + " cannot extend volumes");
    }

    /**
     * Makes a point-in-time copy of {@code volume} named {@code snapshot.backendName()}; returns its provider
     * location. A driver without snapshots throws with the reason (the snapshot goes to {@code error}).
     */
    default String createSnapshot(SnapshotEntity snapshot, VolumeEntity volume) {
        throw new org.openstack.jcinder.common.exception.VolumeDriverException(
                getClass().getSimpleName() + " cannot create snapshots");
    }

    /** Creates {@code volume} (its size may be larger) holding {@code snapshot}'s data; returns the location. */
    default String createVolumeFromSnapshot(VolumeEntity volume, SnapshotEntity snapshot) {
        throw new org.openstack.jcinder.common.exception.VolumeDriverException(
                getClass().getSimpleName() + " cannot create volumes from snapshots");
    }

    /** Creates {@code volume} (its size may be larger) as a copy of {@code source}; returns the location. */
    default String createClonedVolume(VolumeEntity volume, VolumeEntity source) {
        throw new org.openstack.jcinder.common.exception.VolumeDriverException(
                getClass().getSimpleName() + " cannot clone volumes");
    }

    /**
     * Puts {@code snapshot}'s data (the volume's latest snapshot, of the volume's size) back into {@code volume};
     * the snapshot stays. A driver that cannot revert throws with the reason (the volume goes to {@code error}).
     */
    default void revertToSnapshot(VolumeEntity volume, SnapshotEntity snapshot) {
        throw new org.openstack.jcinder.common.exception.VolumeDriverException(
                getClass().getSimpleName() + " cannot revert volumes to snapshots");
    }

    /** Deletes the snapshot's backing object; a missing object is not an error (delete must be repeatable). */
    default void deleteSnapshot(SnapshotEntity snapshot) {
    }

    /**
     * A migration's destination side of one snapshot: a new, empty object named {@code snapshot.backendName()}
     * of the snapshot's size, which the migration then fills; returns its provider location. It must refuse an
     * object that already exists (it may be someone's data, and the migration would delete it on failure).
     */
    default String createSnapshotTarget(SnapshotEntity snapshot) {
        throw new org.openstack.jcinder.common.exception.VolumeDriverException(
                getClass().getSimpleName() + " cannot receive snapshots");
    }

    /** Makes the snapshot's object reachable on this host (file path or block device) for a copy. */
    default ConnectionInfo initializeSnapshotConnection(SnapshotEntity snapshot) {
        throw new org.openstack.jcinder.common.exception.VolumeDriverException(
                getClass().getSimpleName() + " cannot connect snapshots");
    }

    /** Releases what {@link #initializeSnapshotConnection} set up; repeatable. */
    default void terminateSnapshotConnection(SnapshotEntity snapshot) {
    }

    /**
     * The destination's storage as a driver of this host, when the backend can reach it directly (another VG or
     * directory of the same host, as {@link #migrateVolume} checks): a native migration of a volume with its
     * snapshots creates the copies through it and copies into them itself, so nothing on the source is removed
     * before the commit. Empty (the default): the generic path moves the chain.
     */
    default java.util.Optional<VolumeDriver> nativeDestination(BackendHost destination,
                                                               Map<String, Object> destinationCapabilities) {
        return java.util.Optional.empty();
    }

    /**
     * Cinder's {@code manage_existing_get_size}: the size in GiB (rounded up) of the backend object {@code ref}
     * names, after checking it may be managed (it exists, nothing manages or uses it). Throws with Cinder's reason.
     * {@code managedNames} maps the backend names of the records that exist to their ids.
     */
    default int manageExistingGetSize(VolumeEntity volume, Map<String, Object> ref, Map<String, String> managedNames) {
        throw new org.openstack.jcinder.common.exception.VolumeDriverException(
                getClass().getSimpleName() + " cannot manage existing volumes");
    }

    /** Cinder's {@code manage_existing}: the object becomes {@code volume}'s (renamed to its name); its location. */
    default String manageExisting(VolumeEntity volume, Map<String, Object> ref) {
        throw new org.openstack.jcinder.common.exception.VolumeDriverException(
                getClass().getSimpleName() + " cannot manage existing volumes");
    }

    /** Cinder's {@code unmanage}: the record goes, the object stays as it is (the default: nothing to release). */
    default void unmanage(VolumeEntity volume) {
    }

    /** The snapshot counterpart of {@link #manageExistingGetSize}. */
    default int manageExistingSnapshotGetSize(SnapshotEntity snapshot, Map<String, Object> ref,
                                              Map<String, String> managedNames) {
        throw new org.openstack.jcinder.common.exception.VolumeDriverException(
                getClass().getSimpleName() + " cannot manage existing snapshots");
    }

    /** The snapshot counterpart of {@link #manageExisting}: the object is renamed to the snapshot's name. */
    default String manageExistingSnapshot(SnapshotEntity snapshot, Map<String, Object> ref) {
        throw new org.openstack.jcinder.common.exception.VolumeDriverException(
                getClass().getSimpleName() + " cannot manage existing snapshots");
    }

    /** Cinder's {@code unmanage_snapshot}: the object stays. */
    default void unmanageSnapshot(SnapshotEntity snapshot) {
    }

    /** Cinder's {@code get_manageable_volumes}, unsorted: every volume object, with why it is not safe. */
    default java.util.List<org.openstack.jcinder.common.volume.ManageableEntry> manageableVolumes(
            Map<String, String> managedNames) {
        return java.util.List.of();
    }

    /** Cinder's {@code get_manageable_snapshots}, unsorted. */
    default java.util.List<org.openstack.jcinder.common.volume.ManageableEntry> manageableSnapshots(
            Map<String, String> managedNames) {
        return java.util.List.of();
    }

    /** The capability report: pools, capacities, protocol, location info. */
    BackendCapabilities stats();

    /**
     * Moves the volume to {@code destination} by the backend's own means, or answers "not moved" (the
     * default) so the manager copies generically. A driver that fails must clean up what it created and may
     * throw; the manager then falls back to the generic path as long as the source is intact. A driver that
     * copies honours {@code control} (a cancel ends the migration; there is no fallback then).
     */
    default MoveResult migrateVolume(VolumeEntity volume, BackendHost destination,
                                     Map<String, Object> destinationCapabilities, CopyControl control) {
        return MoveResult.notMoved("driver has no native migration");
    }

    /**
     * {@link #migrateVolume} that leaves the source object in place when {@code keepSource} (the rollback window
     * of {@code migration_keep_source}: the manager keeps it under a hidden row and deletes it later). A driver
     * that cannot keep it answers "not moved", so the generic copy (which always can) runs instead.
     */
    default MoveResult migrateVolume(VolumeEntity volume, BackendHost destination,
                                     Map<String, Object> destinationCapabilities, CopyControl control,
                                     boolean keepSource) {
        return keepSource ? MoveResult.notMoved("driver cannot keep the source of a native move")
                : migrateVolume(volume, destination, destinationCapabilities, control);
    }

    /**
     * Why {@link #migrateVolume} would answer "not moved" for this destination, or null when it would move the
     * volume; decided from the capabilities and the volume's record only (a migration's dry-run asks it).
     */
    default String nativeMigrationRefusal(VolumeEntity volume, BackendHost destination,
                                          Map<String, Object> destinationCapabilities) {
        return "driver has no native migration";
    }

    /** Makes the volume's data reachable on this host (file path or block device) for a copy. */
    ConnectionInfo initializeConnection(VolumeEntity volume);

    /** Releases what {@link #initializeConnection} set up (a loop device, an export); repeatable. */
    default void terminateConnection(VolumeEntity volume) {
    }

    /**
     * Called on the destination after a generic migration copied {@code volume} into {@code newVolume}, before
     * the rows are swapped (Cinder's {@code update_migrated_volume}). A driver may rename the new object to
     * {@code volume}'s own name so the user's volume needs no {@code _name_id}; the default keeps the name,
     * and a driver that fails to rename must keep it too rather than throw.
     */
    default MigratedName updateMigratedVolume(VolumeEntity volume, VolumeEntity newVolume,
                                              VolumeStatus originalStatus) {
        return MigratedName.KEPT;
    }

    /** Whether a freshly created volume reads as zeros, so a copy may skip zero blocks (sparse copy). */
    default boolean newVolumesReadAsZeros() {
        return false;
    }

    /** The outcome of a native migration: moved (with the new provider location) or not, and why. */
    record MoveResult(boolean moved, String providerLocation, String reason) {
        public static MoveResult moved(String providerLocation) {
            return new MoveResult(true, providerLocation, null);
        }

        public static MoveResult notMoved(String reason) {
            return new MoveResult(false, null, reason);
        }
    }
}
