package org.openstack.jcinder.common.service;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.UUID;

import org.openstack.jcinder.common.config.CinderConfig;
import org.openstack.jcinder.common.db.Clock;
import org.openstack.jcinder.common.db.ServiceEntity;
import org.openstack.jcinder.common.db.ServiceRepository;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The services table: each scheduler and each volume backend registers a row and heartbeats it. A service is
 * "up" when its last heartbeat is within {@code service_down_time}, as in Cinder.
 */
@Component
public class ServiceRegistry {

    public static final String SCHEDULER_BINARY = "cinder-scheduler";
    public static final String VOLUME_BINARY = "cinder-volume";

    private final ServiceRepository services;
    private final Duration downTime;

    public ServiceRegistry(ServiceRepository services, CinderConfig config) {
        this.services = services;
        this.downTime = config.serviceDownTime();
    }

    /**
     * A row that does not say which RPC version its service serves (null, as a row from before V21): for tests
     * and tools. The services register with {@link #register(String, String, String, String, String)}; with
     * {@code [upgrade_levels] <binary> = auto} a row without a version is refused, as Cinder refuses one.
     */
    @Transactional
    public ServiceEntity register(String binary, String host, String topic, String availabilityZone) {
        return register(binary, host, topic, availabilityZone, null);
    }

    /**
     * Creates the row or revives a soft-deleted one; returns it with its id. {@code rpcVersion}: the RPC API
     * version the service serves (Cinder's {@code rpc_current_version}, written at start as Cinder does), what
     * {@code [upgrade_levels] <binary> = auto} callers cap their messages to.
     */
    @Transactional
    public ServiceEntity register(String binary, String host, String topic, String availabilityZone,
                                  String rpcVersion) {
        ServiceEntity row = services.findByHostAndBinaryName(host, binary).orElse(null);
        LocalDateTime now = Clock.now();
        if (row == null) {
            row = new ServiceEntity();
            row.setUuid(UUID.randomUUID().toString());
            row.setHost(host);
            row.setBinaryName(binary);
            row.setCreatedAt(now);
        }
        row.setTopic(topic);
        row.setAvailabilityZone(availabilityZone);
        row.setRpcCurrentVersion(rpcVersion);
        row.setDeleted(false);
        row.setDeletedAt(null);
        row.setUpdatedAt(now);
        try {
            return services.saveAndFlush(row);
        } catch (DataIntegrityViolationException e) {
            // Another process registered the same host/binary between our read and write: take its row.
            return services.findByHostAndBinaryName(host, binary).orElseThrow(() -> e);
        }
    }

    /** Records a heartbeat; {@code capabilities} (JSON) may be null to keep the last report. */
    public void heartbeat(ServiceEntity service, String capabilities, String backendStateReason) {
        services.heartbeat(service.getId(), Clock.now(), capabilities, backendStateReason);
    }

    public boolean isUp(ServiceEntity service) {
        LocalDateTime last = service.getUpdatedAt() != null ? service.getUpdatedAt() : service.getCreatedAt();
        return last != null && Duration.between(last, Clock.now()).compareTo(downTime) <= 0;
    }
}
