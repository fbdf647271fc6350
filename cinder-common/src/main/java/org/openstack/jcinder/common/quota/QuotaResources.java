package org.openstack.jcinder.common.quota;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cinder's quota resource names, in the order its engines list them: the global ones, then three per volume
 * type ({@code volumes_<type>}, {@code gigabytes_<type>}, {@code snapshots_<type>}), then {@code groups}.
 */
public final class QuotaResources {

    public static final String VOLUMES = "volumes";
    public static final String PER_VOLUME_GIGABYTES = "per_volume_gigabytes";
    public static final String SNAPSHOTS = "snapshots";
    public static final String GIGABYTES = "gigabytes";
    public static final String BACKUPS = "backups";
    public static final String BACKUP_GIGABYTES = "backup_gigabytes";
    public static final String GROUPS = "groups";

    private static final List<String> GLOBAL = List.of(VOLUMES, PER_VOLUME_GIGABYTES, SNAPSHOTS, GIGABYTES, BACKUPS,
            BACKUP_GIGABYTES);

    private QuotaResources() {
    }

    /** Every resource, given the names of the volume types that exist. */
    public static List<String> all(List<String> typeNames) {
        List<String> out = new ArrayList<>(GLOBAL);
        for (String type : typeNames) {
            out.add(VOLUMES + "_" + type);
            out.add(GIGABYTES + "_" + type);
            out.add(SNAPSHOTS + "_" + type);
        }
        out.add(GROUPS);
        return out;
    }

    /** What one volume of {@code size} GiB and type {@code typeName} counts for (Cinder's add_volume_type_opts). */
    public static Map<String, Integer> volume(String typeName, int size) {
        Map<String, Integer> d = new LinkedHashMap<>();
        d.put(VOLUMES, 1);
        d.put(GIGABYTES, size);
        if (typeName != null) {
            d.put(VOLUMES + "_" + typeName, 1);
            d.put(GIGABYTES + "_" + typeName, size);
        }
        return d;
    }

    /** What growing a volume of type {@code typeName} by {@code increase} GiB counts for. */
    public static Map<String, Integer> extension(String typeName, int increase) {
        Map<String, Integer> d = new LinkedHashMap<>();
        d.put(GIGABYTES, increase);
        if (typeName != null) {
            d.put(GIGABYTES + "_" + typeName, increase);
        }
        return d;
    }

    /** Only the per-type part of a volume: what a retype moves from the old type to the new. */
    public static Map<String, Integer> typeOnly(String typeName, int size) {
        Map<String, Integer> d = new LinkedHashMap<>();
        d.put(VOLUMES + "_" + typeName, 1);
        d.put(GIGABYTES + "_" + typeName, size);
        return d;
    }

    public static Map<String, Integer> negate(Map<String, Integer> deltas) {
        Map<String, Integer> d = new LinkedHashMap<>();
        deltas.forEach((k, v) -> d.put(k, -v));
        return d;
    }
}
