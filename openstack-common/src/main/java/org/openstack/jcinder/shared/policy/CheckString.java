package org.openstack.jcinder.shared.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed oslo.policy check string, with oslo.policy's semantics (its {@code _checks} and {@code _parser}):
 * <ul>
 * <li>{@code @} allows, {@code !} denies, an empty string allows;</li>
 * <li>{@code rule:name} evaluates another rule (a missing one falls back to the rule named {@code default},
 * else denies);</li>
 * <li>{@code role:name} is a case-insensitive match against the caller's roles ({@code %(key)s} in the name is
 * replaced from the target);</li>
 * <li>any other {@code kind:match} is a GenericCheck: {@code match}, with its {@code %(key)s} replaced from the
 * target (a missing key denies), must equal the caller's credential {@code kind} as Python's {@code str()} spells
 * it ({@code is_admin:True}, not {@code true}); a list credential ({@code roles}) matches when any element does;
 * a {@code kind} that is a Python literal ({@code 'member'}, {@code True}, {@code 42}) is compared with the match
 * instead of a credential;</li>
 * <li>{@code and}, {@code or}, {@code not} (any case) and parentheses, {@code and} binding tighter than
 * {@code or}.</li>
 * </ul>
 * A token that is no check (no colon) denies on its own, as oslo.policy's {@code _parse_check} makes it a
 * FalseCheck; a string that does not parse as a whole throws here, and the engine turns it into "deny" with an
 * ERROR in the log, as oslo.policy does, rather than failing the request with a 500.
 */
public sealed interface CheckString {

    boolean allows(Evaluation e);

    /** What a check reads: the caller's credentials, the target and the other rules (for {@code rule:}). */
    interface Evaluation {
        /**
         * The caller's credential as oslo.policy's creds dict holds it, spelled as Python's {@code str()}
         * ({@code "True"}); a list for list-valued ones ({@code roles}); null when the dict has no such key.
         */
        Object credential(String key);

        List<String> roles();

        String target(String key);

        boolean rule(String name);
    }

    record Always(boolean value) implements CheckString {
        public boolean allows(Evaluation e) {
            return value;
        }

        @Override
        public String toString() {
            return value ? "@" : "!";
        }
    }

    record Rule(String name) implements CheckString {
        public boolean allows(Evaluation e) {
            return e.rule(name);
        }
    }

    record Role(String match) implements CheckString {
        public boolean allows(Evaluation e) {
            String wanted = interpolate(match, e);
            if (wanted == null) {
                return false;
            }
            String lower = wanted.toLowerCase(Locale.ROOT);
            return e.roles().stream().anyMatch(r -> r.toLowerCase(Locale.ROOT).equals(lower));
        }
    }

    /** {@code kind:match}: oslo.policy's GenericCheck. */
    record Generic(String kind, String match) implements CheckString {
        public boolean allows(Evaluation e) {
            String expected = interpolate(match, e);
            if (expected == null) {
                return false;
            }
            String literal = pythonLiteral(kind);
            if (literal != null) {
                return expected.equals(literal);
            }
            Object actual = e.credential(kind);
            if (actual instanceof List<?> list) {
                return list.stream().anyMatch(item -> expected.equals(String.valueOf(item)));
            }
            return actual != null && expected.equals(actual);
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

    /**
     * oslo.policy's list syntax ({@code [["role:a", "project_id:%(project_id)s"], ["role:admin"]]}): the inner
     * lists are and-ed, the outer or-ed; an empty list allows.
     */
    static CheckString parseList(List<?> list) {
        if (list.isEmpty()) {
            return new Always(true);
        }
        List<CheckString> any = new ArrayList<>();
        for (Object item : list) {
            List<?> inner = item instanceof List<?> l ? l : List.of(String.valueOf(item));
            List<CheckString> all = new ArrayList<>();
            for (Object check : inner) {
                all.add(parse(String.valueOf(check)));
            }
            any.add(all.size() == 1 ? all.get(0) : new And(List.copyOf(all)));
        }
        return any.size() == 1 ? any.get(0) : new Or(List.copyOf(any));
    }

    Pattern TARGET_REF = Pattern.compile("%\\(([^)]*)\\)s|%%");

    /** Python's {@code match % target} for the {@code %(key)s} form; null when the target lacks a key. */
    private static String interpolate(String match, Evaluation e) {
        Matcher m = TARGET_REF.matcher(match);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value;
            if (m.group(1) == null) {
                value = "%";
            } else {
                value = e.target(m.group(1));
                if (value == null) {
                    return null;
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** {@code str(ast.literal_eval(kind))} for the literals a check string can hold, or null for a name. */
    private static String pythonLiteral(String kind) {
        if (kind.length() >= 2 && (kind.startsWith("'") && kind.endsWith("'")
                || kind.startsWith("\"") && kind.endsWith("\""))) {
            return kind.substring(1, kind.length() - 1);
        }
        if (kind.equals("True") || kind.equals("False") || kind.equals("None")) {
            return kind;
        }
        if (kind.matches("[+-]?\\d+")) {
            return new java.math.BigInteger(kind).toString();
        }
        return null;
    }

    /** One token: a keyword ({@code and}, {@code or}, {@code not}), a parenthesis, a check, or a quoted string. */
    record Token(String kind, CheckString check, String text) {
    }

    private static List<Token> tokens(String text) {
        List<Token> out = new ArrayList<>();
        for (String raw : text.trim().split("\\s+")) {
            String t = raw;
            while (t.startsWith("(")) {
                out.add(new Token("(", null, "("));
                t = t.substring(1);
            }
            int close = 0;
            while (t.endsWith(")")) {
                close++;
                t = t.substring(0, t.length() - 1);
            }
            String lower = t.toLowerCase(Locale.ROOT);
            if (lower.equals("and") || lower.equals("or") || lower.equals("not")) {
                out.add(new Token(lower, null, t));
            } else if (!t.isEmpty()) {
                boolean quoted = t.length() >= 2 && (t.startsWith("'") && t.endsWith("'")
                        || t.startsWith("\"") && t.endsWith("\""));
                out.add(quoted ? new Token("string", null, t) : new Token("check", check(t), t));
            }
            for (int i = 0; i < close; i++) {
                out.add(new Token(")", null, ")"));
            }
        }
        return out;
    }

    /** oslo.policy's {@code _parse_check}. */
    private static CheckString check(String t) {
        if (t.equals("!")) {
            return new Always(false);
        }
        if (t.equals("@")) {
            return new Always(true);
        }
        int colon = t.indexOf(':');
        if (colon < 0) {
            return new Always(false); // oslo.policy: "Failed to understand rule", a FalseCheck
        }
        String kind = t.substring(0, colon);
        String match = t.substring(colon + 1);
        return switch (kind) {
            case "rule" -> new Rule(match);
            case "role" -> new Role(match);
            default -> new Generic(kind, match);
        };
    }

    final class Parser {
        private final List<Token> tokens;
        private int pos;

        private Parser(List<Token> tokens) {
            this.tokens = tokens;
        }

        CheckString parseAll() {
            CheckString c = or();
            if (pos != tokens.size()) {
                throw new IllegalArgumentException("unexpected '" + tokens.get(pos).text() + "'");
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
            Token t = tokens.get(pos++);
            switch (t.kind()) {
                case "(" -> {
                    CheckString inner = or();
                    if (!peekIs(")")) {
                        throw new IllegalArgumentException("missing ')'");
                    }
                    pos++;
                    return inner;
                }
                case "check" -> {
                    return t.check();
                }
                default -> throw new IllegalArgumentException("unexpected '" + t.text() + "'");
            }
        }

        private boolean peekIs(String kind) {
            return pos < tokens.size() && tokens.get(pos).kind().equals(kind);
        }
    }
}
