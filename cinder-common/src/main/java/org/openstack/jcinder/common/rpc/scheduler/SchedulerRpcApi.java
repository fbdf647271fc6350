package org.openstack.jcinder.common.rpc.scheduler;

import java.util.List;
import java.util.Map;

import org.openstack.jcinder.common.capability.BackendCapabilities;
import org.openstack.jcinder.shared.context.RequestContext;
import org.openstack.jcinder.common.rpc.RpcClient;
import org.openstack.jcinder.common.rpc.RpcTopics;
import org.springframework.stereotype.Component;

/**
 * The caller's side of the scheduler's RPC API (Cinder's {@code scheduler/rpcapi.py}).
 *
 * <p>Version history:
 * <ul>
 *   <li>3.0 — create_volume (cast), get_pools (call), update_service_capabilities (fanout).</li>
 *   <li>3.1 — migrate_volume (cast): check the requested destination, then hand over to the source.</li>
 *   <li>3.2 — retype (cast): in place when the current backend fits the new type, else a migration.</li>
 *   <li>3.3 — manage_existing (cast): the requested backend must pass the filters for the volume's type.</li>
 *   <li>3.4 — check_migration_destination (call): migrate_volume's destination check alone, changing nothing
 *       (a migration's dry-run).</li>
 * </ul>
 */
@Component
public class SchedulerRpcApi {

    public static final String VERSION = "3.4";

    public static final String CREATE_VOLUME = "create_volume";
    public static final String GET_POOLS = "get_pools";
    public static final String UPDATE_SERVICE_CAPABILITIES = "update_service_capabilities";
    public static final String MIGRATE_VOLUME = "migrate_volume";
    public static final String RETYPE = "retype";
    public static final String MANAGE_EXISTING = "manage_existing";

    /** A volume being managed (status managing) on {@code host} (host@backend[#pool]), with its type's specs. */
    public record ManageExistingRequest(String volumeId, String host, Map<String, String> extraSpecs,
                                        String availabilityZone, Map<String, Object> ref) {
    }

    public static final String CHECK_MIGRATION_DESTINATION = "check_migration_destination";

    /**
     * The scheduler's answer to a dry-run: whether {@code migrate_volume} would accept the destination, else its
     * reason (what the migration's record would say); the pool it would use and that pool's capabilities.
     */
    public record DestinationCheck(boolean accepted, String reason, String pool, Map<String, Object> capabilities) {
    }

    /** A retype the API accepted: the new type's id and extra specs, and whether migrating is allowed. */
    public record RetypeRequest(String volumeId, String newTypeId, Map<String, String> newExtraSpecs, int size,
                                boolean migrationAllowed) {
    }

    /** A migration the API accepted: the volume, where to (host@backend[#pool]) and what it needs there. */
    public record MigrateVolumeRequest(String volumeId, String destinationHost, boolean forceHostCopy, int size,
                                       Map<String, String> extraSpecs, Long bpsLimit, boolean withSnapshots) {

        public MigrateVolumeRequest(String volumeId, String destinationHost, boolean forceHostCopy, int size,
                                    Map<String, String> extraSpecs, Long bpsLimit) {
            this(volumeId, destinationHost, forceHostCopy, size, extraSpecs, bpsLimit, false);
        }
    }

    /** What placement needs to know about a new volume. */
    public record CreateVolumeRequest(String volumeId, int size, String volumeTypeId,
                                      Map<String, String> extraSpecs, String availabilityZone) {
    }

    public record GetPoolsRequest(Map<String, String> filters) {
    }

    /** One pool as {@code scheduler-stats/get_pools} shows it: Cinder's snake_case capability keys. */
    public record Pool(String name, Map<String, Object> capabilities) {
    }

    public record PoolList(List<Pool> pools) {
    }

    private final RpcClient rpc;

    public SchedulerRpcApi(RpcClient rpc) {
        this.rpc = rpc;
        rpc.register(SchedulerRpcVersions.TABLE); // rolling upgrades: each method is sent at the version it needs, capped
    }

    public void createVolume(RequestContext ctx, CreateVolumeRequest request) {
        rpc.cast(RpcTopics.SCHEDULER, CREATE_VOLUME, VERSION, ctx, request);
    }

    public List<Pool> getPools(RequestContext ctx, Map<String, String> filters) {
        PoolList list = rpc.call(RpcTopics.SCHEDULER, GET_POOLS, VERSION, ctx, new GetPoolsRequest(filters),
                PoolList.class);
        return list == null ? List.of() : list.pools();
    }

    public void migrateVolume(RequestContext ctx, MigrateVolumeRequest request) {
        rpc.cast(RpcTopics.SCHEDULER, MIGRATE_VOLUME, VERSION, ctx, request);
    }

    public void manageExisting(RequestContext ctx, ManageExistingRequest request) {
        rpc.cast(RpcTopics.SCHEDULER, MANAGE_EXISTING, VERSION, ctx, request);
    }

    /** The destination check of {@link #migrateVolume}, with no side effect (no capacity consumed, nothing sent). */
    public DestinationCheck checkMigrationDestination(RequestContext ctx, MigrateVolumeRequest request) {
        return rpc.call(RpcTopics.SCHEDULER, CHECK_MIGRATION_DESTINATION, VERSION, ctx, request,
                DestinationCheck.class);
    }

    public void retype(RequestContext ctx, RetypeRequest request) {
        rpc.cast(RpcTopics.SCHEDULER, RETYPE, VERSION, ctx, request);
    }

    /** Fanned out to every scheduler; a lost report is replaced by the next one. */
    public void updateServiceCapabilities(RequestContext ctx, BackendCapabilities capabilities) {
        rpc.fanoutCast(RpcTopics.SCHEDULER_FANOUT, UPDATE_SERVICE_CAPABILITIES, VERSION, ctx, capabilities);
    }
}
