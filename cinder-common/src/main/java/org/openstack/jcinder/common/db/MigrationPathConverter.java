package org.openstack.jcinder.common.db;

import org.openstack.jcinder.common.volume.MigrationPath;

import jakarta.persistence.Converter;

/** {@code volume_migrations.path} (null until a path is chosen). */
@Converter(autoApply = true)
public class MigrationPathConverter extends WireValueConverter<MigrationPath> {

    public MigrationPathConverter() {
        super(MigrationPath::parse);
    }
}
