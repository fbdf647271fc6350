package org.openstack.jcinder.scheduler.filter;

import java.util.Arrays;

/** Cinder's extra-spec value language (a useful subset of {@code cinder/scheduler/filters/extra_specs_ops}). */
final class ExtraSpecMatcher {

    private ExtraSpecMatcher() {
    }

    static boolean matches(Object actual, String required) {
        if (actual == null) {
            return false;
        }
        String a = String.valueOf(actual);
        String r = required.strip();
        if (r.startsWith("<is>")) {
            return Boolean.parseBoolean(r.substring(4).strip()) == Boolean.parseBoolean(a);
        }
        if (r.startsWith("<in>")) {
            return a.contains(r.substring(4).strip());
        }
        if (r.startsWith("<or>")) {
            return Arrays.stream(r.split("<or>")).map(String::strip).filter(s -> !s.isEmpty())
                    .anyMatch(a::equals);
        }
        if (r.startsWith(">=") || r.startsWith("<=")) {
            try {
                double want = Double.parseDouble(r.substring(2).strip());
                double have = Double.parseDouble(a);
                return r.startsWith(">=") ? have >= want : have <= want;
            } catch (NumberFormatException e) {
                return false;
            }
        }
        if (r.startsWith("s==")) {
            return a.equals(r.substring(3).strip());
        }
        return a.equals(r);
    }
}
