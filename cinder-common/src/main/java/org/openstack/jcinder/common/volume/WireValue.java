package org.openstack.jcinder.common.volume;

import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A word of Cinder's vocabulary (a status, a migration path or phase). It has exactly one spelling, and that
 * spelling is used on the wire, in RPC messages and in the database alike, so the Java name of a constant never
 * leaks into any of them.
 */
public interface WireValue {

    /** Cinder's spelling. Jackson writes this too, so a value put into a map or a record still reads as Cinder's. */
    @JsonValue
    String wire();

    /** The spelling of a value that may be absent ({@code null} stays {@code null}, as in Cinder's JSON). */
    static String wireOf(WireValue value) {
        return value == null ? null : value.wire();
    }

    /** The constant of {@code type} spelled exactly {@code wire} (case and punctuation included), if any. */
    static <E extends Enum<E> & WireValue> Optional<E> find(Class<E> type, String wire) {
        if (wire == null) {
            return Optional.empty();
        }
        for (E e : type.getEnumConstants()) {
            if (e.wire().equals(wire)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /**
     * Like {@link #find}, for values that must be known (read back from the database, or from another service):
     * an unknown one is a bug or a foreign writer, and is refused rather than guessed at.
     */
    static <E extends Enum<E> & WireValue> E parse(Class<E> type, String wire) {
        return find(type, wire).orElseThrow(() -> new IllegalArgumentException(
                "unknown " + type.getSimpleName() + " '" + wire + "'"));
    }
}
