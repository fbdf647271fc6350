package org.openstack.jcinder.common.rpc.volume;

import static org.openstack.jcinder.common.rpc.volume.VolumeRpcApi.*;

import org.openstack.jcinder.common.rpc.RpcApiVersions;
import org.openstack.jcinder.common.rpc.RpcTopics;
import org.openstack.jcinder.common.service.ServiceRegistry;

/**
 * The version each volume RPC method needs (the history in {@link VolumeRpcApi}'s comment, as a table the client
 * reads). A new method or argument must be added here too: VolumeRpcVersionsTest fails on a method constant that
 * is missing, and a missing method would be refused whenever callers are pinned below the newest.
 *
 * <p>Methods with older forms (an argument added later, dropped when sent older while unused):
 * <ul>
 *   <li>migrate_volume — 3.1; newTypeId from 3.2 (null), bpsLimit from 3.6 (null), withSnapshots from 3.8 (false).</li>
 *   <li>delete_volume — 3.0; cascade from 3.9 (false).</li>
 * </ul>
 */
public final class VolumeRpcVersions {

    public static final RpcApiVersions TABLE = new RpcApiVersions(ServiceRegistry.VOLUME_BINARY, VERSION,
            topic -> topic.startsWith(RpcTopics.VOLUME + "."))
            .method(CREATE_VOLUME, "3.0")
            .method(DELETE_VOLUME, "3.0")
            .method(MIGRATE_VOLUME, "3.1")
            .method(CREATE_MIGRATION_TARGET, "3.1")
            .method(INITIALIZE_CONNECTION, "3.1")
            .method(MIGRATE_VOLUME_COMPLETION, "3.1")
            .method(RETYPE, "3.2")
            .method(TERMINATE_CONNECTION, "3.3")
            .method(UPDATE_MIGRATED_VOLUME, "3.4")
            .method(EXTEND_VOLUME, "3.5")
            .method(MIGRATE_VOLUME_CANCEL, "3.6")
            .method(MIGRATE_VOLUME_UPDATE, "3.6")
            .method(CREATE_SNAPSHOT, "3.7")
            .method(DELETE_SNAPSHOT, "3.7")
            .method(CREATE_SNAPSHOT_TARGET, "3.8")
            .method(INITIALIZE_SNAPSHOT_CONNECTION, "3.8")
            .method(TERMINATE_SNAPSHOT_CONNECTION, "3.8")
            .method(DELETE_SNAPSHOT_TARGET, "3.8")
            .method(REVERT_TO_SNAPSHOT, "3.9")
            .method(MANAGE_EXISTING, "3.10")
            .method(MANAGE_EXISTING_SNAPSHOT, "3.10")
            .method(UNMANAGE_VOLUME, "3.10")
            .method(UNMANAGE_SNAPSHOT, "3.10")
            .method(GET_MANAGEABLE_VOLUMES, "3.10")
            .method(GET_MANAGEABLE_SNAPSHOTS, "3.10")
            .method(MIGRATION_PLAN, "3.11")
            .method(MIGRATE_VOLUME_REVERT, "3.11")
            .argument(MIGRATE_VOLUME, "3.2", "newTypeId", null)
            .argument(MIGRATE_VOLUME, "3.6", "bpsLimit", null)
            .argument(MIGRATE_VOLUME, "3.8", "withSnapshots", false)
            .argument(DELETE_VOLUME, "3.9", "cascade", false);

    private VolumeRpcVersions() {
    }
}
