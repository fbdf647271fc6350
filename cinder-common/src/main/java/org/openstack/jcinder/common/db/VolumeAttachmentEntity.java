package org.openstack.jcinder.common.db;

import java.time.LocalDateTime;
import java.util.*;

import org.openstack.jcinder.common.volume.AttachStatus;

import jakarta.persistence.*;


/** One attachment of a volume to an instance or host. */
@Entity
@Table(name = "volume_attachment")
public class VolumeAttachmentEntity {

    @Id
    @Column(name = "id")
    private String id;

    @Column(name = "volume_id")
    private String volumeId;

    @Column(name = "instance_uuid")
    private String instanceUuid;

    @Column(name = "attached_host")
    private String attachedHost;

    @Column(name = "mountpoint")
    private String mountpoint;

    @Column(name = "attach_mode")
    private String attachMode;

    @Column(name = "attach_status")
    private AttachStatus attachStatus;

    @Column(name = "connector")
    private String connector;

    @Column(name = "connection_info")
    private String connectionInfo;

    @Column(name = "attach_time")
    private LocalDateTime attachTime;

    @Column(name = "detach_time")
    private LocalDateTime detachTime;

    @Column(name = "created_at")
    private LocalDateTime createdAt;

    @Column(name = "updated_at")
    private LocalDateTime updatedAt;

    @Column(name = "deleted_at")
    private LocalDateTime deletedAt;

    @Column(name = "deleted")
    private boolean deleted;


    public String getId() {
        return id;
    }

    public void setId(String id) {
        this.id = id;
    }

    public String getVolumeId() {
        return volumeId;
    }

    public void setVolumeId(String volumeId) {
        this.volumeId = volumeId;
    }

    public String getInstanceUuid() {
        return instanceUuid;
    }

    public void setInstanceUuid(String instanceUuid) {
        this.instanceUuid = instanceUuid;
    }

    public String getAttachedHost() {
        return attachedHost;
    }

    public void setAttachedHost(String attachedHost) {
        this.attachedHost = attachedHost;
    }

    public String getMountpoint() {
        return mountpoint;
    }

    public void setMountpoint(String mountpoint) {
        this.mountpoint = mountpoint;
    }

    public String getAttachMode() {
        return attachMode;
    }

    public void setAttachMode(String attachMode) {
        this.attachMode = attachMode;
    }

    public AttachStatus getAttachStatus() {
        return attachStatus;
    }

    public void setAttachStatus(AttachStatus attachStatus) {
        this.attachStatus = attachStatus;
    }

    public String getConnector() {
        return connector;
    }

    public void setConnector(String connector) {
        this.connector = connector;
    }

    public String getConnectionInfo() {
        return connectionInfo;
    }

    public void setConnectionInfo(String connectionInfo) {
        this.connectionInfo = connectionInfo;
    }

    public LocalDateTime getAttachTime() {
        return attachTime;
    }

    public void setAttachTime(LocalDateTime attachTime) {
        this.attachTime = attachTime;
    }

    public LocalDateTime getDetachTime() {
        return detachTime;
    }

    public void setDetachTime(LocalDateTime detachTime) {
        this.detachTime = detachTime;
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

}
