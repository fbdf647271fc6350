package org.openstack.jcinder.api.web;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import org.openstack.jcinder.common.exception.InvalidInputException;

/**
 * Text a client may send: no NUL and well-formed UTF-16 (no unpaired surrogate). PostgreSQL refuses a NUL in
 * a text value (a 500 from deep inside a query) and its driver stores an unpaired surrogate as {@code ?}, so
 * both are refused at the edge, before anything reaches the database.
 */
public final class InputText {

    private InputText() {
    }

    /** Why {@code s} is not acceptable text, or null when it is. */
    public static String problem(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0) {
                return "a NUL character";
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return "an unpaired UTF-16 surrogate";
            }
            if (Character.isLowSurrogate(c)) {
                return "an unpaired UTF-16 surrogate";
            }
        }
        return null;
    }

    public static void check(String s, String where) {
        String problem = s == null ? null : problem(s);
        if (problem != null) {
            throw new InvalidInputException(where + " contains " + problem + ".");
        }
    }

    /**
     * Percent-decodes one URL component as strict UTF-8 ({@code +} is a space in a query, not in a path) and
     * checks it. Malformed UTF-8 would otherwise become U+FFFD silently, or an encoded surrogate reach the
     * database; a malformed escape would be a 400 from the container in HTML.
     */
    public static String decodeComponent(String raw, boolean query, String where) {
        if (raw.indexOf('%') < 0 && !(query && raw.indexOf('+') >= 0)) {
            check(raw, where);
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                int hi = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
                int lo = hi >= 0 ? Character.digit(raw.charAt(i + 2), 16) : -1;
                if (lo < 0) {
                    throw new InvalidInputException(where + " contains a malformed percent-encoding.");
                }
                bytes.write(hi * 16 + lo);
                i += 2;
            } else if (c == '+' && query) {
                bytes.write(' ');
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(b, 0, b.length);
            }
        }
        String decoded;
        try {
            decoded = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidInputException(where + " is not valid UTF-8.");
        }
        check(decoded, where);
        return decoded;
    }
}
