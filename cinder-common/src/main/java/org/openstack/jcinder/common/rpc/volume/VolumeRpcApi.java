package org.openstack.jcinder.common.rpc.volume;

import org.openstack.jcinder.common.context.RequestContext;
import org.openstack.jcinder.common.rpc.RpcClient;
import org.openstack.jcinder.common.rpc.RpcTopics;
import org.openstack.jcinder.common.volume.BackendHost;
import org.springframework.stereotype.Component;

/**
 * The caller's side of a volume service's RPC API (Cinder's {@code volume/rpcapi.py}). Messages go to the
 * queue of the backend that holds the volume: {@code cinder-volume.host@backend}.
 *
 * <p>Version history:
 * <ul>
 *   <li>3.0 — create_volume, delete_volume (casts).</li>
 * </ul>
 */
@Component
public class VolumeRpcApi {

    public static final String VERSION = "3.0";

    public static final String CREATE_VOLUME = "create_volume";
    public static final String DELETE_VOLUME = "delete_volume";

    public record VolumeRef(String volumeId) {
    }

    private final RpcClient rpc;

    public VolumeRpcApi(RpcClient rpc) {
        this.rpc = rpc;
    }

    public void createVolume(RequestContext ctx, BackendHost host, String volumeId) {
        rpc.cast(RpcTopics.volume(host.serviceHost()), CREATE_VOLUME, VERSION, ctx, new VolumeRef(volumeId));
    }

    public void deleteVolume(RequestContext ctx, BackendHost host, String volumeId) {
        rpc.cast(RpcTopics.volume(host.serviceHost()), DELETE_VOLUME, VERSION, ctx, new VolumeRef(volumeId));
    }
}
