package org.openstack.jcinder.common.volume;

/**
 * What the destination did with a migrated object's name (Cinder's {@code update_migrated_volume}): renamed to
 * the source's own name (then the source needs no {@code _name_id}, and this is its new provider location) or
 * kept.
 */
public record MigratedName(boolean renamed, String providerLocation) {
    public static final MigratedName KEPT = new MigratedName(false, null);

    public static MigratedName renamed(String providerLocation) {
        return new MigratedName(true, providerLocation);
    }
}
