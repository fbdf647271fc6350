package org.openstack.jcinder.common.rpc.volume;

import java.time.Duration;
import java.util.Map;

import org.openstack.jcinder.shared.context.RequestContext;
import org.openstack.jcinder.common.rpc.RpcClient;
import org.openstack.jcinder.common.rpc.RpcTopics;
import org.openstack.jcinder.common.volume.BackendHost;
import org.openstack.jcinder.common.volume.ConnectionInfo;
import org.openstack.jcinder.common.volume.MigratedName;
import org.openstack.jcinder.common.volume.VolumeStatus;
import org.springframework.stereotype.Component;

/**
 * The caller's side of a volume service's RPC API (Cinder's {@code volume/rpcapi.py}). Messages go to the
 * queue of the backend that holds the volume: {@code cinder-volume.host@backend}.
 *
 * <p>Version history:
 * <ul>
 *   <li>3.0 — create_volume, delete_volume (casts).</li>
 *   <li>3.1 — migrate_volume (cast, to the source); create_migration_target, initialize_connection,
 *       migrate_volume_completion (calls).</li>
 *   <li>3.2 — migrate_volume carries newTypeId (retype by migration); retype (cast, in place).</li>
 *   <li>3.3 — terminate_connection (call).</li>
 *   <li>3.4 — update_migrated_volume (call, to the destination): the backend may give the migrated object
 *       the source's name.</li>
 *   <li>3.5 — extend_volume (cast).</li>
 *   <li>3.6 — migrate_volume carries bpsLimit; migrate_volume_cancel and migrate_volume_update (casts, to the
 *       source).</li>
 *   <li>3.7 — create_snapshot, delete_snapshot (casts, to the volume's backend).</li>
 *   <li>3.8 — migrate_volume carries withSnapshots; create_snapshot_target, initialize_snapshot_connection,
 *       terminate_snapshot_connection, delete_snapshot_target (calls, to a migration's destination): the
 *       destination's copies of a volume's snapshots.</li>
 *   <li>3.9 — delete_volume carries cascade (the volume's snapshots, marked deleting, go first);
 *       revert_to_snapshot (cast, to the volume's backend).</li>
 *   <li>3.10 — manage_existing, manage_existing_snapshot, unmanage_volume, unmanage_snapshot (casts);
 *       get_manageable_volumes, get_manageable_snapshots (calls).</li>
 *   <li>3.11 — migration_plan (call, to the source): the path migrate_volume would take, changing nothing;
 *       migrate_volume_revert (cast, to the volume's current backend): swap back to the kept old copy.</li>
 * </ul>
 */
@Component
public class VolumeRpcApi {

    public static final String VERSION = "3.11";

    public static final String CREATE_VOLUME = "create_volume";
    public static final String DELETE_VOLUME = "delete_volume";

    public static final String MIGRATE_VOLUME = "migrate_volume";
    public static final String CREATE_MIGRATION_TARGET = "create_migration_target";
    public static final String INITIALIZE_CONNECTION = "initialize_connection";
    public static final String MIGRATE_VOLUME_COMPLETION = "migrate_volume_completion";
    public static final String RETYPE = "retype";
    public static final String TERMINATE_CONNECTION = "terminate_connection";
    public static final String UPDATE_MIGRATED_VOLUME = "update_migrated_volume";
    public static final String EXTEND_VOLUME = "extend_volume";
    public static final String MIGRATE_VOLUME_CANCEL = "migrate_volume_cancel";
    public static final String MIGRATE_VOLUME_UPDATE = "migrate_volume_update";
    public static final String CREATE_SNAPSHOT = "create_snapshot";
    public static final String DELETE_SNAPSHOT = "delete_snapshot";
    public static final String CREATE_SNAPSHOT_TARGET = "create_snapshot_target";
    public static final String INITIALIZE_SNAPSHOT_CONNECTION = "initialize_snapshot_connection";
    public static final String TERMINATE_SNAPSHOT_CONNECTION = "terminate_snapshot_connection";
    public static final String DELETE_SNAPSHOT_TARGET = "delete_snapshot_target";
    public static final String REVERT_TO_SNAPSHOT = "revert_to_snapshot";
    public static final String MANAGE_EXISTING = "manage_existing";
    public static final String MANAGE_EXISTING_SNAPSHOT = "manage_existing_snapshot";
    public static final String UNMANAGE_VOLUME = "unmanage_volume";
    public static final String UNMANAGE_SNAPSHOT = "unmanage_snapshot";
    public static final String GET_MANAGEABLE_VOLUMES = "get_manageable_volumes";
    public static final String GET_MANAGEABLE_SNAPSHOTS = "get_manageable_snapshots";

    /** A backend object for a volume row (status managing) to adopt; {@code ref} is the driver's reference. */
    public record ManageExisting(String volumeId, Map<String, Object> ref) {
    }

    /** A backend object for a snapshot row (status creating) to adopt. */
    public record ManageExistingSnapshot(String snapshotId, Map<String, Object> ref) {
    }

    /** What a backend offers for management; the caller sorts and pages. */
    public record ManageableList(java.util.List<org.openstack.jcinder.common.volume.ManageableEntry> entries) {
    }

    /** No arguments (a get_manageable_* call). */
    public record NoArgs() {
    }

    public static final String MIGRATION_PLAN = "migration_plan";
    public static final String MIGRATE_VOLUME_REVERT = "migrate_volume_revert";

    /**
     * What the source backend would do with a {@link MigrateVolume}: the path ({@code driver}, {@code generic},
     * {@code attached}; null when none could), why each other path would not be taken, and whether the old copy
     * would be kept for a rollback window (seconds, 0 = deleted at once).
     */
    public record MigrationPlan(String path, Map<String, String> notTaken, long keepSourceSeconds) {
    }

    /** Swaps a volume back to the old copy its migration {@code migrationId} kept. */
    public record MigrationRevert(String volumeId, String migrationId) {
    }

    public record SnapshotRef(String snapshotId) {
    }

    public record VolumeRef(String volumeId) {
    }

    /** The answer of create_snapshot_target: where the destination's copy of the snapshot lives. */
    public record SnapshotTargetCreated(String providerLocation) {
    }

    /** {@code cascade}: the volume's snapshots (all marked deleting by the API) are deleted first. */
    public record DeleteVolume(String volumeId, boolean cascade) {
    }

    /** The volume ({@code reverting}) gets the data of its latest snapshot ({@code restoring}). */
    public record RevertToSnapshot(String volumeId, String snapshotId) {
    }

    /**
     * Sent to the source backend once the scheduler accepted the destination. {@code bpsLimit}: the copy's
     * bandwidth limit in bytes/s (0 = unlimited), or null for the backend's {@code volume_copy_bps_limit}.
     */
    public record MigrateVolume(String volumeId, String destinationHost, Map<String, Object> destinationCapabilities,
                                boolean forceHostCopy, String newTypeId, Long bpsLimit, boolean withSnapshots) {

        /** A migration of the volume alone (Cinder's: a volume with snapshots never gets here without the key). */
        public MigrateVolume(String volumeId, String destinationHost, Map<String, Object> destinationCapabilities,
                             boolean forceHostCopy, String newTypeId, Long bpsLimit) {
            this(volumeId, destinationHost, destinationCapabilities, forceHostCopy, newTypeId, bpsLimit, false);
        }
    }

    /** A new bandwidth limit for a running migration's copy (bytes/s, 0 = unlimited). */
    public record MigrationUpdate(String volumeId, long bpsLimit) {
    }

    /** Changes a volume's type where it is (the backend fits the new type). */
    public record Retype(String volumeId, String newTypeId) {
    }

    public record Completion(String volumeId, String newVolumeId, boolean error) {
    }

    public record CompletionResult(String saveVolumeId) {
    }

    /** Grows a volume (status {@code extending}) to {@code newSize} GiB. */
    public record ExtendVolume(String volumeId, int newSize) {
    }

    /** Sent to the destination before the swap; {@code originalStatus} is the source's status before the migration. */
    public record UpdateMigrated(String volumeId, String newVolumeId, VolumeStatus originalStatus) {
    }

    private final RpcClient rpc;

    public VolumeRpcApi(RpcClient rpc) {
        this.rpc = rpc;
        rpc.register(VolumeRpcVersions.TABLE); // rolling upgrades: each method is sent at the version it needs, capped
    }

    public void createVolume(RequestContext ctx, BackendHost host, String volumeId) {
        rpc.cast(RpcTopics.volume(host.serviceHost()), CREATE_VOLUME, VERSION, ctx, new VolumeRef(volumeId));
    }

    public void migrateVolume(RequestContext ctx, BackendHost source, MigrateVolume request) {
        rpc.cast(RpcTopics.volume(source.serviceHost()), MIGRATE_VOLUME, VERSION, ctx, request);
    }

    public void retype(RequestContext ctx, BackendHost host, Retype request) {
        rpc.cast(RpcTopics.volume(host.serviceHost()), RETYPE, VERSION, ctx, request);
    }

    /** Creates the temporary destination volume and answers when it exists (or with the error). */
    public void createMigrationTarget(RequestContext ctx, BackendHost destination, String volumeId,
                                      Duration timeout) {
        rpc.call(RpcTopics.volume(destination.serviceHost()), CREATE_MIGRATION_TARGET, VERSION, ctx,
                new VolumeRef(volumeId), Void.class, timeout);
    }

    public ConnectionInfo initializeConnection(RequestContext ctx, BackendHost host, String volumeId) {
        return rpc.call(RpcTopics.volume(host.serviceHost()), INITIALIZE_CONNECTION, VERSION, ctx,
                new VolumeRef(volumeId), ConnectionInfo.class);
    }

    public void terminateConnection(RequestContext ctx, BackendHost host, String volumeId) {
        rpc.call(RpcTopics.volume(host.serviceHost()), TERMINATE_CONNECTION, VERSION, ctx, new VolumeRef(volumeId),
                Void.class);
    }

    public String migrateVolumeCompletion(RequestContext ctx, BackendHost source, Completion completion) {
        return rpc.call(RpcTopics.volume(source.serviceHost()), MIGRATE_VOLUME_COMPLETION, VERSION, ctx,
                completion, CompletionResult.class).saveVolumeId();
    }

    /** Cinder's {@code update_migrated_volume}: the destination's driver may rename the new object. */
    public MigratedName updateMigratedVolume(RequestContext ctx, BackendHost destination, UpdateMigrated request) {
        MigratedName answer = rpc.call(RpcTopics.volume(destination.serviceHost()), UPDATE_MIGRATED_VOLUME, VERSION,
                ctx, request, MigratedName.class);
        return answer == null ? MigratedName.KEPT : answer;
    }

    public void extendVolume(RequestContext ctx, BackendHost host, String volumeId, int newSize) {
        rpc.cast(RpcTopics.volume(host.serviceHost()), EXTEND_VOLUME, VERSION, ctx, new ExtendVolume(volumeId, newSize));
    }

    /** Asks the source backend to stop a running migration of {@code volumeId}. */
    public void migrateVolumeCancel(RequestContext ctx, BackendHost source, String volumeId) {
        rpc.cast(RpcTopics.volume(source.serviceHost()), MIGRATE_VOLUME_CANCEL, VERSION, ctx, new VolumeRef(volumeId));
    }

    public void migrateVolumeUpdate(RequestContext ctx, BackendHost source, MigrationUpdate update) {
        rpc.cast(RpcTopics.volume(source.serviceHost()), MIGRATE_VOLUME_UPDATE, VERSION, ctx, update);
    }

    /** The path a migration would take on the source backend, and why not the others; changes nothing. */
    public MigrationPlan migrationPlan(RequestContext ctx, BackendHost source, MigrateVolume request) {
        return rpc.call(RpcTopics.volume(source.serviceHost()), MIGRATION_PLAN, VERSION, ctx, request,
                MigrationPlan.class);
    }

    /** {@link #migrationPlan(RequestContext, BackendHost, MigrateVolume)}, waiting at most {@code timeout}. */
    public MigrationPlan migrationPlan(RequestContext ctx, BackendHost source, MigrateVolume request,
                                       Duration timeout) {
        return rpc.call(RpcTopics.volume(source.serviceHost()), MIGRATION_PLAN, VERSION, ctx, request,
                MigrationPlan.class, timeout);
    }

    public void migrateVolumeRevert(RequestContext ctx, BackendHost current, MigrationRevert revert) {
        rpc.cast(RpcTopics.volume(current.serviceHost()), MIGRATE_VOLUME_REVERT, VERSION, ctx, revert);
    }

    public void deleteVolume(RequestContext ctx, BackendHost host, String volumeId) {
        deleteVolume(ctx, host, volumeId, false);
    }

    public void deleteVolume(RequestContext ctx, BackendHost host, String volumeId, boolean cascade) {
        rpc.cast(RpcTopics.volume(host.serviceHost()), DELETE_VOLUME, VERSION, ctx,
                new DeleteVolume(volumeId, cascade));
    }

    public void revertToSnapshot(RequestContext ctx, BackendHost host, String volumeId, String snapshotId) {
        rpc.cast(RpcTopics.volume(host.serviceHost()), REVERT_TO_SNAPSHOT, VERSION, ctx,
                new RevertToSnapshot(volumeId, snapshotId));
    }

    public void createSnapshot(RequestContext ctx, BackendHost host, String snapshotId) {
        rpc.cast(RpcTopics.volume(host.serviceHost()), CREATE_SNAPSHOT, VERSION, ctx, new SnapshotRef(snapshotId));
    }

    public void deleteSnapshot(RequestContext ctx, BackendHost host, String snapshotId) {
        rpc.cast(RpcTopics.volume(host.serviceHost()), DELETE_SNAPSHOT, VERSION, ctx, new SnapshotRef(snapshotId));
    }

    /**
     * A migration's destination makes an empty object for one of the volume's snapshots (same name as on the
     * source, the snapshot's size) and answers with its provider location; it refuses an object that exists.
     */
    public String createSnapshotTarget(RequestContext ctx, BackendHost destination, String snapshotId,
                                       Duration timeout) {
        return rpc.call(RpcTopics.volume(destination.serviceHost()), CREATE_SNAPSHOT_TARGET, VERSION, ctx,
                new SnapshotRef(snapshotId), SnapshotTargetCreated.class, timeout).providerLocation();
    }

    public ConnectionInfo initializeSnapshotConnection(RequestContext ctx, BackendHost host, String snapshotId) {
        return rpc.call(RpcTopics.volume(host.serviceHost()), INITIALIZE_SNAPSHOT_CONNECTION, VERSION, ctx,
                new SnapshotRef(snapshotId), ConnectionInfo.class);
    }

    public void terminateSnapshotConnection(RequestContext ctx, BackendHost host, String snapshotId) {
        rpc.call(RpcTopics.volume(host.serviceHost()), TERMINATE_SNAPSHOT_CONNECTION, VERSION, ctx,
                new SnapshotRef(snapshotId), Void.class);
    }

    /** Removes a migration's copy of a snapshot from the destination (the row stays: it is the source's). */
    public void deleteSnapshotTarget(RequestContext ctx, BackendHost destination, String snapshotId) {
        rpc.call(RpcTopics.volume(destination.serviceHost()), DELETE_SNAPSHOT_TARGET, VERSION, ctx,
                new SnapshotRef(snapshotId), Void.class);
    }

    public void manageExisting(RequestContext ctx, BackendHost host, ManageExisting request) {
        rpc.cast(RpcTopics.volume(host.serviceHost()), MANAGE_EXISTING, VERSION, ctx, request);
    }

    public void manageExistingSnapshot(RequestContext ctx, BackendHost host, ManageExistingSnapshot request) {
        rpc.cast(RpcTopics.volume(host.serviceHost()), MANAGE_EXISTING_SNAPSHOT, VERSION, ctx, request);
    }

    public void unmanageVolume(RequestContext ctx, BackendHost host, String volumeId) {
        rpc.cast(RpcTopics.volume(host.serviceHost()), UNMANAGE_VOLUME, VERSION, ctx, new VolumeRef(volumeId));
    }

    public void unmanageSnapshot(RequestContext ctx, BackendHost host, String snapshotId) {
        rpc.cast(RpcTopics.volume(host.serviceHost()), UNMANAGE_SNAPSHOT, VERSION, ctx, new SnapshotRef(snapshotId));
    }

    public java.util.List<org.openstack.jcinder.common.volume.ManageableEntry> getManageableVolumes(
            RequestContext ctx, BackendHost host) {
        ManageableList list = rpc.call(RpcTopics.volume(host.serviceHost()), GET_MANAGEABLE_VOLUMES, VERSION, ctx,
                new NoArgs(), ManageableList.class);
        return list == null || list.entries() == null ? java.util.List.of() : list.entries();
    }

    public java.util.List<org.openstack.jcinder.common.volume.ManageableEntry> getManageableSnapshots(
            RequestContext ctx, BackendHost host) {
        ManageableList list = rpc.call(RpcTopics.volume(host.serviceHost()), GET_MANAGEABLE_SNAPSHOTS, VERSION, ctx,
                new NoArgs(), ManageableList.class);
        return list == null || list.entries() == null ? java.util.List.of() : list.entries();
    }
}
