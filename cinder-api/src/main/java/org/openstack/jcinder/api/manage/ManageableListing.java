package org.openstack.jcinder.api.manage;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;

import org.openstack.jcinder.api.web.Paging;
import org.openstack.jcinder.common.exception.CinderException;
import org.openstack.jcinder.common.exception.InvalidInputException;
import org.openstack.jcinder.common.volume.ManageableEntry;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sorting and paging of what a backend offers for management, as Cinder does it outside the database
 * ({@code get_sort_params} with default key {@code reference} and direction {@code desc}, then
 * {@code paginate_entries_list}: a JSON marker naming a reference, the offset after it, then the limit), and
 * the list views ({@code manageable-volumes} / {@code manageable-snapshots}).
 */
public final class ManageableListing {

    private static final Set<String> SORT_KEYS = Set.of("reference", "size");
    private static final Set<String> SORT_DIRS = Set.of("asc", "desc");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ManageableListing() {
    }

    /** The query's paging and sorting; Cinder's 400s for bad keys, directions, limits and offsets. */
    public record Query(String marker, int limit, int offset, List<String> sortKeys, List<String> sortDirs) {

        public static Query parse(Map<String, String> params, int maxLimit) {
            int limit = Paging.limit(params, maxLimit);
            int offset = Paging.offset(params);
            List<String> keys = new ArrayList<>();
            List<String> dirs = new ArrayList<>();
            if (params.containsKey("sort")) {
                for (String sort : params.get("sort").strip().split(",", -1)) {
                    int colon = sort.indexOf(':');
                    keys.add((colon < 0 ? sort : sort.substring(0, colon)).strip());
                    String dir = colon < 0 ? "" : sort.substring(colon + 1).strip();
                    dirs.add(dir.isEmpty() ? "desc" : dir);
                }
            } else {
                keys.add(params.getOrDefault("sort_key", "reference"));
                dirs.add(params.getOrDefault("sort_dir", "desc"));
            }
            List<String> badKeys = keys.stream().filter(k -> !SORT_KEYS.contains(k)).distinct().toList();
            if (!badKeys.isEmpty()) {
                throw new CinderException(400, "Invalid sort keys passed: " + String.join(", ", badKeys));
            }
            List<String> badDirs = dirs.stream().filter(d -> !SORT_DIRS.contains(d)).distinct().toList();
            if (!badDirs.isEmpty()) {
                throw new CinderException(400, "Invalid sort dirs passed: " + String.join(", ", badDirs));
            }
            return new Query(params.get("marker"), limit, offset, keys, dirs);
        }
    }

    /** The page of {@code entries} the query asks for. */
    public static List<ManageableEntry> page(List<ManageableEntry> entries, Query q) {
        Comparator<ManageableEntry> order = (a, b) -> 0;
        for (int i = 0; i < q.sortKeys().size(); i++) {
            Comparator<ManageableEntry> c = q.sortKeys().get(i).equals("size")
                    ? Comparator.comparingInt(ManageableEntry::size)
                    : Comparator.comparing(ManageableListing::firstValue);
            order = order.thenComparing(q.sortDirs().get(i).equals("asc") ? c : c.reversed());
        }
        List<ManageableEntry> sorted = entries.stream().sorted(order).toList();
        int start = 0;
        if (q.marker() != null && !q.marker().isEmpty()) {
            Map<String, Object> marker;
            try {
                @SuppressWarnings("unchecked")
                Map<String, Object> parsed = JSON.readValue(q.marker(), Map.class);
                marker = parsed;
            } catch (JacksonException | ClassCastException e) {
                throw new InvalidInputException("marker " + q.marker() + " can not be analysed, please use json "
                        + "like format");
            }
            start = -1;
            for (int i = 0; i < sorted.size(); i++) {
                if (Objects.equals(sorted.get(i).reference(), marker)) {
                    start = i + 1;
                    break;
                }
            }
            if (start < 0) {
                throw new InvalidInputException("marker not found: " + repr(marker));
            }
        }
        int from = (int) Math.min((long) start + q.offset(), sorted.size());
        int to = (int) Math.min((long) start + q.limit() + q.offset(), sorted.size());
        return from >= to ? List.of() : sorted.subList(from, to);
    }

    /** Cinder compares a dict reference by its smallest value. */
    private static String firstValue(ManageableEntry e) {
        return e.reference() == null ? "" : e.reference().values().stream().map(String::valueOf).sorted()
                .findFirst().orElse("");
    }

    private static String repr(Map<String, Object> m) {
        StringJoiner j = new StringJoiner(", ", "{", "}");
        m.forEach((k, v) -> j.add("'" + k + "': " + (v instanceof String s ? "'" + s + "'" : String.valueOf(v))));
        return j.toString();
    }

    /** Cinder's manageable views: summary (reference, size, safe_to_manage) or detail; snapshots add their source. */
    public static Map<String, Object> view(ManageableEntry e, boolean detail, boolean snapshot) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("reference", e.reference());
        v.put("size", e.size());
        v.put("safe_to_manage", e.safeToManage());
        if (detail) {
            v.put("reason_not_safe", e.reasonNotSafe());
            v.put("cinder_id", e.cinderId());
            v.put("extra_info", e.extraInfo());
        }
        if (snapshot) {
            v.put("source_reference", e.sourceReference());
        }
        return v;
    }

    /**
     * The answer of a manageable list ({@code os-volume-manage}, {@code manageable_snapshots} …): the query is
     * checked before the backend is asked ({@code entries}, an RPC), then the page in the summary or detail view.
     */
    public static Map<String, Object> answer(Map<String, String> params, int maxLimit, boolean detail,
                                             boolean snapshots, java.util.function.Supplier<List<ManageableEntry>> entries) {
        Query q = Query.parse(params, maxLimit);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(snapshots ? "manageable-snapshots" : "manageable-volumes",
                page(entries.get(), q).stream().map(e -> view(e, detail, snapshots)).toList());
        return out;
    }
}
