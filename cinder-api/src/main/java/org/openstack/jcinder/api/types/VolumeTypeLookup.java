package org.openstack.jcinder.api.types;

import java.util.List;

import org.openstack.jcinder.common.config.CinderConfig;
import org.openstack.jcinder.common.db.VolumeTypeEntity;
import org.openstack.jcinder.common.db.VolumeTypeRepository;
import org.openstack.jcinder.common.exception.CinderException;
import org.openstack.jcinder.common.exception.VolumeTypeNotFoundException;
import org.springframework.stereotype.Component;

/** Finds volume types the way Cinder's API does: by id, else by name; the default from cinder.conf. */
@Component
public class VolumeTypeLookup {

    private final VolumeTypeRepository types;
    private final CinderConfig config;

    public VolumeTypeLookup(VolumeTypeRepository types, CinderConfig config) {
        this.types = types;
        this.config = config;
    }

    public VolumeTypeEntity byId(String id) {
        return types.findByIdAndDeletedFalse(id).orElseThrow(() -> new VolumeTypeNotFoundException(id));
    }

    public VolumeTypeEntity byNameOrId(String nameOrId) {
        var found = types.findByIdAndDeletedFalse(nameOrId);
        if (found.isPresent()) {
            return found.get();
        }
        List<VolumeTypeEntity> named = types.findByNameAndDeletedFalse(nameOrId);
        if (named.isEmpty()) {
            throw new CinderException(404, "Volume type with name " + nameOrId + " could not be found.");
        }
        return named.get(0);
    }

    public VolumeTypeEntity defaultType() {
        List<VolumeTypeEntity> named = types.findByNameAndDeletedFalse(config.defaultVolumeType());
        if (named.isEmpty()) {
            throw new CinderException(500, "The default volume type '" + config.defaultVolumeType()
                    + "' ([DEFAULT] default_volume_type) does not exist.");
        }
        return named.get(0);
    }
}
