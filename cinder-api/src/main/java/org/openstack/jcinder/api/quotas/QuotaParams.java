package org.openstack.jcinder.api.quotas;

import java.util.Set;

import org.openstack.jcinder.common.exception.CinderException;

/** Cinder's {@code utils.get_bool_param}: oslo's strict boolean strings, else InvalidParameterValue (400). */
final class QuotaParams {

    private static final Set<String> TRUE = Set.of("1", "t", "true", "on", "y", "yes");
    private static final Set<String> FALSE = Set.of("0", "f", "false", "off", "n", "no");

    private QuotaParams() {
    }

    static boolean bool(String name, String value) {
        String v = value.strip().toLowerCase();
        if (TRUE.contains(v)) {
            return true;
        }
        if (FALSE.contains(v)) {
            return false;
        }
        throw new CinderException(400, "Value '" + value + "' for '" + name + "' is not a boolean.");
    }
}
