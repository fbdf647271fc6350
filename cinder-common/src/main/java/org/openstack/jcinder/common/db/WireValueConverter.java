package org.openstack.jcinder.common.db;

import java.util.function.Function;

import org.openstack.jcinder.common.volume.WireValue;

import jakarta.persistence.AttributeConverter;

/**
 * Stores a {@link WireValue} as its wire spelling, so the columns hold exactly the strings Cinder (and this
 * project before the types existed) writes, and no schema migration was needed. An unknown string in a row is
 * refused when it is read: it was not written by this code, and guessing would hide that. The subclasses are
 * auto-applied to every attribute of their type, so a new one can neither fall back to JPA's enum ordinals nor
 * miss the conversion.
 */
abstract class WireValueConverter<T extends WireValue> implements AttributeConverter<T, String> {

    private final Function<String, T> parse;

    WireValueConverter(Function<String, T> parse) {
        this.parse = parse;
    }

    @Override
    public String convertToDatabaseColumn(T value) {
        return value == null ? null : value.wire();
    }

    @Override
    public T convertToEntityAttribute(String column) {
        return column == null ? null : parse.apply(column);
    }
}
