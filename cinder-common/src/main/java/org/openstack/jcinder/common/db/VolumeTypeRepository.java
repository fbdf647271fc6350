package org.openstack.jcinder.common.db;

import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface VolumeTypeRepository extends JpaRepository<VolumeTypeEntity, String> {

    Optional<VolumeTypeEntity> findByIdAndDeletedFalse(String id);

    List<VolumeTypeEntity> findByNameAndDeletedFalse(String name);

    List<VolumeTypeEntity> findByDeletedFalseOrderByName();

    /** The types a QoS specs is associated with (its "associations"). */
    List<VolumeTypeEntity> findByQosSpecsIdAndDeletedFalseOrderByName(String qosSpecsId);

    /** Id and name of every type, deleted ones included (a volume keeps showing its type's name). */
    @Query("select t.id, t.name from VolumeTypeEntity t")
    List<Object[]> idsAndNames();
}
