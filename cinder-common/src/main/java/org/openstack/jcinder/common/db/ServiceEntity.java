package org.openstack.jcinder.common.db;

import java.time.LocalDateTime;
import java.util.*;

import jakarta.persistence.*;


/** A running (or once running) service: its heartbeat and last reported capabilities. */
@Entity
@Table(name = "services")
public class ServiceEntity {

    @Id @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "id")
    private Long id;

    @Column(name = "uuid")
    private String uuid;

    @Column(name = "host")
    private String host;

    @Column(name = "binary_name")
    private String binaryName;

    @Column(name = "topic")
    private String topic;

    @Column(name = "availability_zone")
    private String availabilityZone;

    @Column(name = "cluster_name")
    private String clusterName;

    @Column(name = "disabled")
    private boolean disabled;

    @Column(name = "disabled_reason")
    private String disabledReason;

    @Column(name = "report_count")
    private long reportCount;

    @Column(name = "capabilities")
    private String capabilities;

    @Column(name = "backend_state_reason")
    private String backendStateReason;

    @Column(name = "created_at")
    private LocalDateTime createdAt;

    @Column(name = "updated_at")
    private LocalDateTime updatedAt;

    @Column(name = "deleted_at")
    private LocalDateTime deletedAt;

    @Column(name = "deleted")
    private boolean deleted;

    @Column(name = "frozen")
    private boolean frozen;

    /** The RPC API version this service serves (Cinder's rpc_current_version); null before V21. */
    @Column(name = "rpc_current_version")
    private String rpcCurrentVersion;


    public Long getId() {
        return id;
    }

    public void setId(Long id) {
        this.id = id;
    }

    public String getUuid() {
        return uuid;
    }

    public void setUuid(String uuid) {
        this.uuid = uuid;
    }

    public String getHost() {
        return host;
    }

    public void setHost(String host) {
        this.host = host;
    }

    public String getBinaryName() {
        return binaryName;
    }

    public void setBinaryName(String binaryName) {
        this.binaryName = binaryName;
    }

    public String getTopic() {
        return topic;
    }

    public void setTopic(String topic) {
        this.topic = topic;
    }

    public String getAvailabilityZone() {
        return availabilityZone;
    }

    public void setAvailabilityZone(String availabilityZone) {
        this.availabilityZone = availabilityZone;
    }

    public String getClusterName() {
        return clusterName;
    }

    public void setClusterName(String clusterName) {
        this.clusterName = clusterName;
    }

    public boolean isDisabled() {
        return disabled;
    }

    public void setDisabled(boolean disabled) {
        this.disabled = disabled;
    }

    public String getDisabledReason() {
        return disabledReason;
    }

    public void setDisabledReason(String disabledReason) {
        this.disabledReason = disabledReason;
    }

    public long getReportCount() {
        return reportCount;
    }

    public void setReportCount(long reportCount) {
        this.reportCount = reportCount;
    }

    public String getCapabilities() {
        return capabilities;
    }

    public void setCapabilities(String capabilities) {
        this.capabilities = capabilities;
    }

    public String getBackendStateReason() {
        return backendStateReason;
    }

    public void setBackendStateReason(String backendStateReason) {
        this.backendStateReason = backendStateReason;
    }

    public LocalDateTime getCreatedAt() {
        return createdAt;
    }

    public void setCreatedAt(LocalDateTime createdAt) {
        this.createdAt = createdAt;
    }

    public LocalDateTime getUpdatedAt() {
        return updatedAt;
    }

    public void setUpdatedAt(LocalDateTime updatedAt) {
        this.updatedAt = updatedAt;
    }

    public LocalDateTime getDeletedAt() {
        return deletedAt;
    }

    public void setDeletedAt(LocalDateTime deletedAt) {
        this.deletedAt = deletedAt;
    }

    public boolean isDeleted() {
        return deleted;
    }

    public void setDeleted(boolean deleted) {
        this.deleted = deleted;
    }

    public boolean isFrozen() {
        return frozen;
    }

    public void setFrozen(boolean frozen) {
        this.frozen = frozen;
    }

    public String getRpcCurrentVersion() {
        return rpcCurrentVersion;
    }

    public void setRpcCurrentVersion(String rpcCurrentVersion) {
        this.rpcCurrentVersion = rpcCurrentVersion;
    }
}
