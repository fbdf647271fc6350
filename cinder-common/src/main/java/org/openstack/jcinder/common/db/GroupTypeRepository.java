package org.openstack.jcinder.common.db;

import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface GroupTypeRepository extends JpaRepository<GroupTypeEntity, String> {

    Optional<GroupTypeEntity> findByIdAndDeletedFalse(String id);

    Optional<GroupTypeEntity> findFirstByNameAndDeletedFalse(String name);

    List<GroupTypeEntity> findByDeletedFalse();

    /** Live groups of a type: a type in use cannot be deleted. */
    @Query(value = "select count(*) from volume_groups where group_type_id = ?1 and deleted = false",
            nativeQuery = true)
    long countGroupsOfType(String groupTypeId);
}
