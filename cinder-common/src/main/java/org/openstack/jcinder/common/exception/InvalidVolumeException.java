package org.openstack.jcinder.common.exception;

public class InvalidVolumeException extends CinderException {
    public InvalidVolumeException(String detail) {
        super(400, String.format("Invalid volume: %s", detail));
    }

    public InvalidVolumeException(String detail, Throwable cause) {
        super(400, String.format("Invalid volume: %s", detail), cause);
    }
}
