package org.openstack.jcinder.common.db;

import org.openstack.jcinder.common.volume.VolumeStatus;

import jakarta.persistence.Converter;

/** {@code volumes.status} and {@code volumes.previous_status}. */
@Converter(autoApply = true)
public class VolumeStatusConverter extends WireValueConverter<VolumeStatus> {

    public VolumeStatusConverter() {
        super(VolumeStatus::parse);
    }
}
