package org.openstack.jcinder.common.rpc.scheduler;

import static org.openstack.jcinder.common.rpc.scheduler.SchedulerRpcApi.*;

import org.openstack.jcinder.common.rpc.RpcApiVersions;
import org.openstack.jcinder.common.rpc.RpcTopics;
import org.openstack.jcinder.common.service.ServiceRegistry;

/**
 * The version each scheduler RPC method needs (the history in {@link SchedulerRpcApi}'s comment). The
 * capability fanout goes to every scheduler, so it is capped by the scheduler pin too. No method has an older
 * form in the table: migrate_volume's bpsLimit and withSnapshots were added without a version bump, so no
 * version tells which schedulers know them; they are always sent (a receiver that lacks a field ignores it).
 */
public final class SchedulerRpcVersions {

    public static final RpcApiVersions TABLE = new RpcApiVersions(ServiceRegistry.SCHEDULER_BINARY, VERSION,
            topic -> topic.equals(RpcTopics.SCHEDULER) || topic.equals(RpcTopics.SCHEDULER_FANOUT))
            .method(CREATE_VOLUME, "3.0")
            .method(GET_POOLS, "3.0")
            .method(UPDATE_SERVICE_CAPABILITIES, "3.0")
            .method(MIGRATE_VOLUME, "3.1")
            .method(RETYPE, "3.2")
            .method(MANAGE_EXISTING, "3.3")
            .method(CHECK_MIGRATION_DESTINATION, "3.4");

    private SchedulerRpcVersions() {
    }
}
