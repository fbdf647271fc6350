package org.openstack.jcinder.shared.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed oslo.policy check string: {@code @}, {@code !}, {@code rule:x}, {@code role:x}, {@code key:value}
 * (where value may be {@code %(target_key)s} or a quoted literal, and key may be a quoted literal compared with
 * the target), combined with {@code and}, {@code or}, {@code not} and parentheses. An empty string allows.
 * As in oslo.policy, a string that does not parse denies (and the enforcer logs it) rather than failing the
 * request with a 500.
 */
public sealed interface CheckString {

    boolean allows(Evaluation e);

    /** What a check reads: the caller's credentials, the target and the other rules (for {@code rule:}). */
    interface Evaluation {
        /** The caller's attribute ({@code user_id}, {@code project_id}, {@code is_admin}, …), or null. */
        String credential(String key);

        List<String> roles();

        String target(String key);

        boolean rule(String name);
    }

    record Always(boolean value) implements CheckString {
        public boolean allows(Evaluation e) {
            return value;
        }
    }

    record Rule(String name) implements CheckString {
        public boolean allows(Evaluation e) {
            return e.rule(name);
        }
    }

    record Role(String role) implements CheckString {
        public boolean allows(Evaluation e) {
            String wanted = role.toLowerCase(Locale.ROOT);
            return e.roles().stream().anyMatch(r -> r.toLowerCase(Locale.ROOT).equals(wanted));
        }
    }

    /** {@code key:value}: oslo.policy's GenericCheck. */
    record Generic(String key, String value) implements CheckString {
        private static final Pattern TARGET_REF = Pattern.compile("%\\((\\w+)\\)s");

        public boolean allows(Evaluation e) {
            String expected = resolve(value, e);
            if (expected == null) {
                return false;
            }
            String actual = literal(key) != null ? literal(key) : e.credential(key);
            if (actual == null) {
                return false;
            }
            if (isBoolean(expected) && isBoolean(actual)) {
                return expected.equalsIgnoreCase(actual);
            }
            return expected.equals(actual);
        }

        private static String resolve(String value, Evaluation e) {
            String lit = literal(value);
            if (lit != null) {
                return lit;
            }
            Matcher m = TARGET_REF.matcher(value);
            if (m.matches()) {
                return e.target(m.group(1));
            }
            return value;
        }

        private static String literal(String s) {
            if (s.length() >= 2 && (s.startsWith("'") && s.endsWith("'") || s.startsWith("\"") && s.endsWith("\""))) {
                return s.substring(1, s.length() - 1);
            }
            return null;
        }

        private static boolean isBoolean(String s) {
            return s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false");
        }
    }

    record Not(CheckString inner) implements CheckString {
        public boolean allows(Evaluation e) {
            return !inner.allows(e);
        }
    }

    record And(List<CheckString> all) implements CheckString {
        public boolean allows(Evaluation e) {
            return all.stream().allMatch(c -> c.allows(e));
        }
    }

    record Or(List<CheckString> any) implements CheckString {
        public boolean allows(Evaluation e) {
            return any.stream().anyMatch(c -> c.allows(e));
        }
    }

    /** @throws IllegalArgumentException when the string is not oslo.policy syntax */
    static CheckString parse(String text) {
        if (text == null || text.isBlank()) {
            return new Always(true);
        }
        return new Parser(tokens(text)).parseAll();
    }

    private static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        for (String raw : text.trim().split("\\s+")) {
            String t = raw;
            while (t.startsWith("(")) {
                out.add("(");
                t = t.substring(1);
            }
            int close = 0;
            while (t.endsWith(")")) {
                close++;
                t = t.substring(0, t.length() - 1);
            }
            if (!t.isEmpty()) {
                out.add(t);
            }
            for (int i = 0; i < close; i++) {
                out.add(")");
            }
        }
        return out;
    }

    final class Parser {
        private final List<String> tokens;
        private int pos;

        private Parser(List<String> tokens) {
            this.tokens = tokens;
        }

        CheckString parseAll() {
            CheckString c = or();
            if (pos != tokens.size()) {
                throw new IllegalArgumentException("unexpected '" + tokens.get(pos) + "'");
            }
            return c;
        }

        private CheckString or() {
            List<CheckString> parts = new ArrayList<>(List.of(and()));
            while (peekIs("or")) {
                pos++;
                parts.add(and());
            }
            return parts.size() == 1 ? parts.get(0) : new Or(List.copyOf(parts));
        }

        private CheckString and() {
            List<CheckString> parts = new ArrayList<>(List.of(not()));
            while (peekIs("and")) {
                pos++;
                parts.add(not());
            }
            return parts.size() == 1 ? parts.get(0) : new And(List.copyOf(parts));
        }

        private CheckString not() {
            if (peekIs("not")) {
                pos++;
                return new Not(not());
            }
            return atom();
        }

        private CheckString atom() {
            if (pos >= tokens.size()) {
                throw new IllegalArgumentException("check string ends too early");
            }
            String t = tokens.get(pos++);
            if (t.equals("(")) {
                CheckString inner = or();
                if (pos >= tokens.size() || !tokens.get(pos).equals(")")) {
                    throw new IllegalArgumentException("missing ')'");
                }
                pos++;
                return inner;
            }
            if (t.equals("@")) {
                return new Always(true);
            }
            if (t.equals("!")) {
                return new Always(false);
            }
            int colon = t.indexOf(':');
            if (colon <= 0 || t.equals(")")) {
                throw new IllegalArgumentException("not a check: '" + t + "'");
            }
            String kind = t.substring(0, colon);
            String match = t.substring(colon + 1);
            return switch (kind) {
                case "rule" -> new Rule(match);
                case "role" -> new Role(match);
                default -> new Generic(kind, match);
            };
        }

        private boolean peekIs(String word) {
            return pos < tokens.size() && tokens.get(pos).equalsIgnoreCase(word);
        }
    }
}
