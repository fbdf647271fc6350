package org.openstack.jcinder.common.db;

import java.time.LocalDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A volume type's encryption spec (Cinder's encryption table): what the consumer uses to encrypt its volumes. */
@Entity
@Table(name = "encryption")
public class EncryptionEntity {

    @Id
    @Column(name = "encryption_id")
    private String encryptionId;

    @Column(name = "volume_type_id")
    private String volumeTypeId;

    @Column(name = "cipher")
    private String cipher;

    @Column(name = "key_size")
    private Integer keySize;

    @Column(name = "provider")
    private String provider;

    @Column(name = "control_location")
    private String controlLocation;

    @Column(name = "created_at")
    private LocalDateTime createdAt;

    @Column(name = "updated_at")
    private LocalDateTime updatedAt;

    public String getEncryptionId() {
        return encryptionId;
    }

    public void setEncryptionId(String encryptionId) {
        this.encryptionId = encryptionId;
    }

    public String getVolumeTypeId() {
        return volumeTypeId;
    }

    public void setVolumeTypeId(String volumeTypeId) {
        this.volumeTypeId = volumeTypeId;
    }

    public String getCipher() {
        return cipher;
    }

    public void setCipher(String cipher) {
        this.cipher = cipher;
    }

    public Integer getKeySize() {
        return keySize;
    }

    public void setKeySize(Integer keySize) {
        this.keySize = keySize;
    }

    public String getProvider() {
        return provider;
    }

    public void setProvider(String provider) {
        this.provider = provider;
    }

    public String getControlLocation() {
        return controlLocation;
    }

    public void setControlLocation(String controlLocation) {
        this.controlLocation = controlLocation;
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
}
