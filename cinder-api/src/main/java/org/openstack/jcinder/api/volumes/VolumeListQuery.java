package org.openstack.jcinder.api.volumes;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.hibernate.jpa.HibernateHints;
import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.volume.MigrationStatus;
import org.openstack.jcinder.common.volume.VolumeStatus;
import org.springframework.stereotype.Component;

import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;

/**
 * Builds the list query as JPQL text. The text depends only on which filters and sort keys are present, so
 * Hibernate's query-plan cache translates each shape once; a criteria query is translated on every request
 * (8–11 % of the request's CPU in the benchmark profile).
 *
 * <p>Paging is keyset-based: rows after the marker are (k1 beyond m1) or (k1 = m1 and k2 beyond m2) …, with
 * {@code id} as the last key, so pages stay stable while volumes come and go.
 */
@Component
class VolumeListQuery {

    private final EntityManager em;

    VolumeListQuery(EntityManager em) {
        this.em = em;
    }

    List<VolumeEntity> run(VolumeQuery q, VolumeEntity marker) {
        // Cinder compares the filter with the column as it is: a word it has no status for matches no volume.
        VolumeStatus status = q.status() == null ? null : VolumeStatus.fromWire(q.status()).orElse(null);
        if (q.status() != null && status == null) {
            return List.of();
        }
        if (q.metadata() != null && q.metadata().matchesNothing()) {
            return List.of();
        }
        StringBuilder jpql = new StringBuilder("select v from VolumeEntity v where v.deleted = false");
        Map<String, Object> params = new HashMap<>();
        if (q.projectId() != null) {
            jpql.append(" and v.projectId = :project");
            params.put("project", q.projectId());
        }
        if (q.name() != null) {
            jpql.append(" and v.displayName = :name");
            params.put("name", q.name());
        }
        if (q.status() != null) {
            jpql.append(" and v.status = :status");
            params.put("status", status);
        }
        if (q.metadata() != null) {
            int n = 0;
            for (Map.Entry<String, String> pair : q.metadata().pairs().entrySet()) {
                // Every pair must be among the volume's metadata (Cinder: one "any" clause per pair).
                jpql.append(" and exists (select 1 from VolumeEntity mv join mv.metadata md where mv.id = v.id")
                        .append(" and key(md) = :mk").append(n).append(" and value(md) = :mv").append(n).append(')');
                params.put("mk" + n, pair.getKey());
                params.put("mv" + n, pair.getValue());
                n++;
            }
        }
        if (q.hideMigrationTargets()) {
            // The temporary destination of a migration is an implementation detail; only admins see it.
            jpql.append(" and (v.migrationStatus is null or v.migrationStatus not like '")
                    .append(MigrationStatus.Target.PREFIX).append("%')");
        }
        if (marker != null) {
            appendKeyset(jpql, params, q.sort(), marker);
        }
        jpql.append(" order by ");
        for (int i = 0; i < q.sort().size(); i++) {
            VolumeQuery.SortKey k = q.sort().get(i);
            jpql.append(i == 0 ? "" : ", ").append("v.").append(k.attribute()).append(k.ascending() ? " asc" : " desc");
        }
        TypedQuery<VolumeEntity> query = em.createQuery(jpql.toString(), VolumeEntity.class)
                .setMaxResults(q.limit())
                .setHint(HibernateHints.HINT_READ_ONLY, true);
        params.forEach(query::setParameter);
        return query.getResultList();
    }

    private static void appendKeyset(StringBuilder jpql, Map<String, Object> params, List<VolumeQuery.SortKey> keys,
                                     VolumeEntity marker) {
        StringBuilder alternatives = new StringBuilder();
        StringBuilder equalSoFar = new StringBuilder();
        for (int i = 0; i < keys.size(); i++) {
            VolumeQuery.SortKey k = keys.get(i);
            Object value = valueOf(marker, k.attribute());
            String column = "v." + k.attribute();
            if (value == null) {
                // A null marker value: rows equal to it are the nulls; compare on the next key.
                equalSoFar.append(column).append(" is null and ");
                continue;
            }
            String p = "m" + i;
            params.put(p, value);
            if (alternatives.length() > 0) {
                alternatives.append(" or ");
            }
            alternatives.append('(').append(equalSoFar).append(column).append(k.ascending() ? " > :" : " < :")
                    .append(p).append(')');
            equalSoFar.append(column).append(" = :").append(p).append(" and ");
        }
        if (alternatives.length() > 0) {
            jpql.append(" and (").append(alternatives).append(')');
        }
    }

    private static Object valueOf(VolumeEntity v, String attribute) {
        return switch (attribute) {
            case "createdAt" -> v.getCreatedAt();
            case "updatedAt" -> v.getUpdatedAt();
            case "id" -> v.getId();
            case "displayName" -> v.getDisplayName();
            case "status" -> v.getStatus();
            case "size" -> v.getSize();
            case "availabilityZone" -> v.getAvailabilityZone();
            default -> throw new IllegalArgumentException(attribute);
        };
    }
}
