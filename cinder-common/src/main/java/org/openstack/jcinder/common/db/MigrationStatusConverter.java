package org.openstack.jcinder.common.db;

import org.openstack.jcinder.common.volume.MigrationStatus;

import jakarta.persistence.Converter;

/** {@code volumes.migration_status}: Cinder's words, and {@code target:<source id>} on a temporary volume. */
@Converter(autoApply = true)
public class MigrationStatusConverter extends WireValueConverter<MigrationStatus> {

    public MigrationStatusConverter() {
        super(MigrationStatus::parse);
    }
}
