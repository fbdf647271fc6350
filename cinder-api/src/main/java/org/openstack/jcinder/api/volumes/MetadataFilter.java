package org.openstack.jcinder.api.volumes;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code metadata} filter of a volume list, read as Cinder reads it: the value goes through Python's
 * {@code ast.literal_eval}, so {@code {"k": "v"}} and {@code {'k': 'v'}} are both a dict, and a volume matches
 * when its metadata holds every pair. A value that is not a dict (or not a literal at all) makes Cinder's
 * query builder give up, which lists nothing. Integers, {@code True}, {@code False} and {@code None} compare as
 * their Python text, as the string column does (a float keeps its spelling here, where Python would normalise
 * it).
 *
 * @param pairs what every listed volume's metadata must contain; empty matches all
 * @param matchesNothing the value was no dict: the list is empty
 */
public record MetadataFilter(Map<String, String> pairs, boolean matchesNothing) {

    public MetadataFilter {
        pairs = Map.copyOf(pairs);
    }

    private static final MetadataFilter NOTHING = new MetadataFilter(Map.of(), true);

    /** Null when the request has no {@code metadata} parameter. */
    public static MetadataFilter parse(String value) {
        if (value == null) {
            return null;
        }
        try {
            Reader r = new Reader(value);
            r.skipSpace();
            Map<String, String> out = r.dict();
            r.skipSpace();
            return r.atEnd() ? new MetadataFilter(out, false) : NOTHING;
        } catch (IllegalArgumentException e) {
            return NOTHING;
        }
    }

    /** A small reader for the literals a metadata dict holds: quoted strings, numbers, True/False/None. */
    private static final class Reader {
        private final String s;
        private int i;

        Reader(String s) {
            this.s = s;
        }

        boolean atEnd() {
            return i == s.length();
        }

        void skipSpace() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        void expect(char c) {
            skipSpace();
            if (i >= s.length() || s.charAt(i) != c) {
                throw new IllegalArgumentException("expected " + c);
            }
            i++;
        }

        Map<String, String> dict() {
            expect('{');
            Map<String, String> out = new LinkedHashMap<>();
            skipSpace();
            if (i < s.length() && s.charAt(i) == '}') {
                i++;
                return out;
            }
            while (true) {
                String key = scalar();
                expect(':');
                String val = scalar();
                out.put(key, val);
                skipSpace();
                if (i < s.length() && s.charAt(i) == ',') {
                    i++;
                    skipSpace();
                    if (i < s.length() && s.charAt(i) == '}') {
                        i++;
                        return out;
                    }
                    continue;
                }
                expect('}');
                return out;
            }
        }

        String scalar() {
            skipSpace();
            if (i >= s.length()) {
                throw new IllegalArgumentException("end");
            }
            char c = s.charAt(i);
            if (c == '"' || c == '\'') {
                return quoted(c);
            }
            int start = i;
            while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || "+-.".indexOf(s.charAt(i)) >= 0)) {
                i++;
            }
            String word = s.substring(start, i);
            // Python 3 has no leading zeros in integers ("007" is a syntax error there).
            if (word.equals("True") || word.equals("False") || word.equals("None")
                    || word.matches("[+-]?(0|[1-9]\\d*)") || word.matches("[+-]?(\\d+\\.\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
                return word.startsWith("+") ? word.substring(1) : word;
            }
            throw new IllegalArgumentException("not a literal: " + word);
        }

        String quoted(char quote) {
            StringBuilder b = new StringBuilder();
            i++;
            while (i < s.length()) {
                char c = s.charAt(i++);
                if (c == quote) {
                    return b.toString();
                }
                if (c == '\\' && i < s.length()) {
                    char e = s.charAt(i++);
                    switch (e) {
                        case 'n' -> b.append('\n');
                        case 't' -> b.append('\t');
                        case 'r' -> b.append('\r');
                        case '\\', '\'', '"' -> b.append(e);
                        default -> b.append('\\').append(e);
                    }
                } else {
                    b.append(c);
                }
            }
            throw new IllegalArgumentException("unterminated string");
        }
    }
}
