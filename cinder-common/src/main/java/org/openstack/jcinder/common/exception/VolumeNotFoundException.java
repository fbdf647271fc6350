package org.openstack.jcinder.common.exception;

public class VolumeNotFoundException extends NotFoundException {
    public VolumeNotFoundException(String volumeId) {
        super("Volume " + volumeId + " could not be found.");
    }
}
