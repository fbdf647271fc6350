package org.openstack.jcinder.volume.copy;

import org.openstack.jcinder.common.exception.CinderException;

/** A copy stopped because an administrator cancelled it; the message is the migration's status reason. */
public class CopyCancelledException extends CinderException {

    public CopyCancelledException() {
        super(409, "cancelled");
    }
}
