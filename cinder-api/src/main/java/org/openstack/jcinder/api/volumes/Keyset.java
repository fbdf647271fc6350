package org.openstack.jcinder.api.volumes;

import java.util.ArrayList;
import java.util.List;

import org.openstack.jcinder.common.db.VolumeEntity;

import jakarta.persistence.criteria.CriteriaBuilder;
import jakarta.persistence.criteria.Expression;
import jakarta.persistence.criteria.Predicate;
import jakarta.persistence.criteria.Root;

/**
 * The "rows after the marker" condition for a multi-key sort: (k1 after m1) or (k1 = m1 and k2 after m2) …
 * Pages stay stable while volumes are created or deleted, unlike offsets.
 */
final class Keyset {

    private Keyset() {
    }

    static Predicate after(CriteriaBuilder cb, Root<VolumeEntity> root, List<VolumeQuery.SortKey> keys,
                           VolumeEntity marker) {
        List<Predicate> alternatives = new ArrayList<>();
        List<Predicate> equalSoFar = new ArrayList<>();
        for (VolumeQuery.SortKey key : keys) {
            Comparable<Object> value = valueOf(marker, key.attribute());
            Expression<Comparable<Object>> column = root.get(key.attribute());
            if (value == null) {
                // Nulls sort last ascending in our dialect settings; treat them as equal-and-continue.
                equalSoFar.add(cb.isNull(column));
                continue;
            }
            Predicate beyond = key.ascending() ? cb.greaterThan(column, value) : cb.lessThan(column, value);
            List<Predicate> clause = new ArrayList<>(equalSoFar);
            clause.add(beyond);
            alternatives.add(cb.and(clause.toArray(Predicate[]::new)));
            equalSoFar.add(cb.equal(column, value));
        }
        return cb.or(alternatives.toArray(Predicate[]::new));
    }

    @SuppressWarnings("unchecked")
    private static Comparable<Object> valueOf(VolumeEntity v, String attribute) {
        Object value = switch (attribute) {
            case "createdAt" -> v.getCreatedAt();
            case "updatedAt" -> v.getUpdatedAt();
            case "id" -> v.getId();
            case "displayName" -> v.getDisplayName();
            case "status" -> v.getStatus();
            case "size" -> v.getSize();
            case "availabilityZone" -> v.getAvailabilityZone();
            default -> throw new IllegalArgumentException(attribute);
        };
        return (Comparable<Object>) value;
    }
}
