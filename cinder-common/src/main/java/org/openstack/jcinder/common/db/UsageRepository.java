package org.openstack.jcinder.common.db;

import java.util.List;

import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;
import org.springframework.data.repository.query.Param;

/**
 * Counts and sums over live volumes and snapshots for the operator APIs ({@code os-hosts/{host}},
 * {@code volumes/summary}). Each row is {@code [project_id, count, total GiB]} or {@code [count, total GiB]}.
 * A backend matches its volumes' hosts with or without their pool ({@code host@backend#pool}).
 */
public interface UsageRepository extends Repository<VolumeEntity, String> {

    @Query("select v.projectId, count(v), coalesce(sum(v.size), 0) from VolumeEntity v where v.deleted = false "
            + "and (v.host = :host or v.host like :hostPools) group by v.projectId")
    List<Object[]> volumesOnHostByProject(@Param("host") String host, @Param("hostPools") String hostPools);

    @Query("select s.projectId, count(s), coalesce(sum(s.volumeSize), 0) from SnapshotEntity s, VolumeEntity v "
            + "where s.volumeId = v.id and s.deleted = false "
            + "and (v.host = :host or v.host like :hostPools) group by s.projectId")
    List<Object[]> snapshotsOnHostByProject(@Param("host") String host, @Param("hostPools") String hostPools);

    @Query("select count(v), coalesce(sum(v.size), 0) from VolumeEntity v where v.deleted = false "
            + "and (:allProjects = true or v.projectId = :projectId)")
    List<Object[]> volumeTotals(@Param("allProjects") boolean allProjects, @Param("projectId") String projectId);

    @Query("select distinct key(m), value(m) from VolumeEntity v join v.metadata m where v.deleted = false "
            + "and (:allProjects = true or v.projectId = :projectId)")
    List<Object[]> distinctMetadata(@Param("allProjects") boolean allProjects, @Param("projectId") String projectId);
}
