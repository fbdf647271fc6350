package org.openstack.jcinder.volume.driver;

import java.util.Map;
import java.util.StringJoiner;

import org.openstack.jcinder.common.exception.CinderException;

/**
 * The {@code ref} of a manage request as this project's drivers read it: {@code {"source-name": <object name>}}
 * (Cinder's LVM convention), with Cinder's error texts for a bad or already managed reference.
 */
public final class ManageReference {

    private ManageReference() {
    }

    /** The object's name; Cinder's ManageExistingInvalidReference when the reference has none. */
    public static String sourceName(Map<String, Object> ref) {
        Object name = ref == null ? null : ref.get("source-name");
        if (!(name instanceof String s) || s.isEmpty()) {
            throw invalid(repr(ref), "Reference must contain source-name element.");
        }
        return s;
    }

    /** Cinder's ManageExistingInvalidReference (its own text, not a driver error's). */
    public static CinderException invalid(String ref, String reason) {
        return new CinderException(500, "Manage existing volume failed due to invalid backend reference " + ref
                + ": " + reason);
    }

    /** Cinder's ManageExistingAlreadyManaged. */
    public static CinderException alreadyManaged(String name) {
        return new CinderException(500, "Unable to manage existing volume. Volume " + name + " already managed.");
    }

    /** The id in a {@code <prefix><id>} name (Cinder's extract_id_from_volume_name), or null. */
    public static String idIn(String name, String prefix) {
        return name.startsWith(prefix) && name.length() > prefix.length() ? name.substring(prefix.length()) : null;
    }

    /** Python's repr of the reference, as Cinder's messages show it. */
    static String repr(Map<String, Object> ref) {
        if (ref == null) {
            return "None";
        }
        StringJoiner j = new StringJoiner(", ", "{", "}");
        ref.forEach((k, v) -> j.add("'" + k + "': " + (v instanceof String s ? "'" + s + "'" : String.valueOf(v))));
        return j.toString();
    }
}
