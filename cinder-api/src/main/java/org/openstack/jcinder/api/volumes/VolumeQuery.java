package org.openstack.jcinder.api.volumes;

import java.util.ArrayList;
import java.util.List;

import org.openstack.jcinder.common.exception.InvalidInputException;

/**
 * A list request: filters, sort keys and the page ({@code limit}, {@code marker}), parsed from the query
 * string with Cinder's rules: {@code sort=key[:dir],…} or the older {@code sort_key}/{@code sort_dir};
 * default {@code created_at:desc}; {@code id} is always the final tie-breaker so pages never overlap.
 */
public record VolumeQuery(String projectId, String name, String status, List<SortKey> sort, int limit,
                          String marker, boolean hideMigrationTargets, MetadataFilter metadata) {

    public record SortKey(String attribute, boolean ascending) {
    }

    private static final java.util.Map<String, String> SORTABLE = java.util.Map.of(
            "created_at", "createdAt", "updated_at", "updatedAt", "id", "id", "name", "displayName",
            "display_name", "displayName", "status", "status", "size", "size",
            "availability_zone", "availabilityZone");

    public static List<SortKey> parseSort(String sort, String sortKey, String sortDir) {
        List<SortKey> keys = new ArrayList<>();
        if (sort != null && !sort.isBlank()) {
            for (String item : sort.split(",", -1)) {
                String[] kd = item.strip().split(":", -1);
                keys.add(key(kd[0].strip(), kd.length > 1 && !kd[1].isBlank() ? kd[1].strip() : "desc"));
            }
        } else if (sortKey != null && !sortKey.isBlank()) {
            // -1 keeps empty items, which are invalid keys rather than nothing to sort by.
            String[] ks = sortKey.split(",", -1);
            String[] ds = sortDir == null ? new String[0] : sortDir.split(",", -1);
            for (int i = 0; i < ks.length; i++) {
                keys.add(key(ks[i].strip(), i < ds.length ? ds[i].strip() : "desc"));
            }
        } else {
            keys.add(new SortKey("createdAt", false));
        }
        if (keys.stream().noneMatch(k -> k.attribute().equals("id"))) {
            keys.add(new SortKey("id", keys.get(keys.size() - 1).ascending()));
        }
        return List.copyOf(keys);
    }

    private static SortKey key(String name, String dir) {
        String attribute = SORTABLE.get(name);
        if (attribute == null) {
            throw new InvalidInputException("Invalid sort key");
        }
        if (!dir.equals("asc") && !dir.equals("desc")) {
            throw new InvalidInputException("Unknown sort direction, must be 'desc' or 'asc'");
        }
        return new SortKey(attribute, dir.equals("asc"));
    }
}
