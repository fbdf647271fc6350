package org.openstack.jcinder.common.exception;

public class InvalidVolumeTypeException extends CinderException {
    public InvalidVolumeTypeException(String detail) {
        super(400, String.format("Invalid volume type: %s", detail));
    }

    public InvalidVolumeTypeException(String detail, Throwable cause) {
        super(400, String.format("Invalid volume type: %s", detail), cause);
    }
}
