package org.openstack.jcinder.common.exception;

public class VolumeDriverException extends CinderException {
    public VolumeDriverException(String detail) {
        super(500, String.format("Volume driver reported an error: %s", detail));
    }

    public VolumeDriverException(String detail, Throwable cause) {
        super(500, String.format("Volume driver reported an error: %s", detail), cause);
    }
}
