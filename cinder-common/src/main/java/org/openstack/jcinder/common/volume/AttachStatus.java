package org.openstack.jcinder.common.volume;

import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonCreator;

/** The {@code attach_status} of a volume and of an attachment (one vocabulary in Cinder), spelled as Cinder does. */
public enum AttachStatus implements WireValue {
    ATTACHED("attached"),
    ATTACHING("attaching"),
    DETACHED("detached"),
    RESERVED("reserved"),
    ERROR_ATTACHING("error_attaching"),
    ERROR_DETACHING("error_detaching"),
    DELETED("deleted");

    private final String wire;

    AttachStatus(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }

    public static Optional<AttachStatus> fromWire(String value) {
        return WireValue.find(AttachStatus.class, value);
    }

    @JsonCreator
    public static AttachStatus parse(String value) {
        return WireValue.parse(AttachStatus.class, value);
    }

    @Override
    public String toString() {
        return wire;
    }
}
