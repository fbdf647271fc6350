package org.openstack.jcinder.common.db;

import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;

public interface VolumeAttachmentRepository extends JpaRepository<VolumeAttachmentEntity, String> {

    List<VolumeAttachmentEntity> findByVolumeIdAndDeletedFalse(String volumeId);

    List<VolumeAttachmentEntity> findByVolumeIdInAndDeletedFalse(java.util.Collection<String> volumeIds);
}
