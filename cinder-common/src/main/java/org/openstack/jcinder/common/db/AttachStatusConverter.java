package org.openstack.jcinder.common.db;

import org.openstack.jcinder.common.volume.AttachStatus;

import jakarta.persistence.Converter;

/** {@code volumes.attach_status} and {@code volume_attachment.attach_status}. */
@Converter(autoApply = true)
public class AttachStatusConverter extends WireValueConverter<AttachStatus> {

    public AttachStatusConverter() {
        super(AttachStatus::parse);
    }
}
