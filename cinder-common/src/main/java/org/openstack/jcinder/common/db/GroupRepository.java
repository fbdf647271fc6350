package org.openstack.jcinder.common.db;

import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface GroupRepository extends JpaRepository<GroupEntity, String> {

    Optional<GroupEntity> findByIdAndDeletedFalse(String id);

    List<GroupEntity> findByDeletedFalse();

    List<GroupEntity> findByProjectIdAndDeletedFalse(String projectId);

    /** Live groups that may hold volumes of a type: such a type is in use (Cinder's volume_type_destroy). */
    @Query(value = "select count(*) from group_volume_type_mapping m join volume_groups g on g.id = m.group_id "
            + "where m.volume_type_id = ?1 and g.deleted = false", nativeQuery = true)
    long countLiveGroupsWithVolumeType(String volumeTypeId);
}
