package org.openstack.jcinder.common.exception;

public class VolumeTypeNotFoundException extends NotFoundException {
    public VolumeTypeNotFoundException(String typeId) {
        super("Volume type " + typeId + " could not be found.");
    }
}
