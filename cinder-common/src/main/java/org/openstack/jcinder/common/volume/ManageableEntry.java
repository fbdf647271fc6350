package org.openstack.jcinder.common.volume;

import java.util.Map;

/**
 * One backend object a driver offers for management (Cinder's {@code get_manageable_volumes} /
 * {@code get_manageable_snapshots} entries). {@code reference} is what {@code ref} of a manage request takes;
 * {@code cinderId} the record that already manages it (then not safe); {@code sourceReference} is the volume a
 * snapshot object was taken of (snapshots only, null for volumes).
 */
public record ManageableEntry(Map<String, Object> reference, int size, boolean safeToManage, String reasonNotSafe,
                              String cinderId, Map<String, Object> extraInfo, Map<String, Object> sourceReference) {
}
