package org.openstack.jcinder.common.db;

import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;

public interface EncryptionRepository extends JpaRepository<EncryptionEntity, String> {

    Optional<EncryptionEntity> findByVolumeTypeId(String volumeTypeId);

    boolean existsByVolumeTypeId(String volumeTypeId);
}
