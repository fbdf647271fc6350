package org.openstack.jcinder.common.volume;

/** A volume's {@code attach_status}, spelled as Cinder spells it. */
public enum AttachStatus {
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

    public String wire() {
        return wire;
    }

    @Override
    public String toString() {
        return wire;
    }
}
