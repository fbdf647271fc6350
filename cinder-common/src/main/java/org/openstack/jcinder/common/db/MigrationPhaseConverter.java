package org.openstack.jcinder.common.db;

import org.openstack.jcinder.common.volume.MigrationPhase;

import jakarta.persistence.Converter;

/** {@code volume_migrations.state}. */
@Converter(autoApply = true)
public class MigrationPhaseConverter extends WireValueConverter<MigrationPhase> {

    public MigrationPhaseConverter() {
        super(MigrationPhase::parse);
    }
}
