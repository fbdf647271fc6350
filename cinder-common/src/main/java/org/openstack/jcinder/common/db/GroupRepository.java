package org.openstack.jcinder.common.db;

import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;

public interface GroupRepository extends JpaRepository<GroupEntity, String> {

    Optional<GroupEntity> findByIdAndDeletedFalse(String id);

    List<GroupEntity> findByDeletedFalse();

    List<GroupEntity> findByProjectIdAndDeletedFalse(String projectId);
}
