package org.openstack.jcinder.api.types;

import java.util.List;
import java.util.regex.Pattern;

import org.openstack.jcinder.api.policy.PolicyEnforcer;
import org.openstack.jcinder.common.config.CinderConfig;
import org.openstack.jcinder.common.db.DefaultVolumeTypeRepository;
import org.openstack.jcinder.common.db.EncryptionRepository;
import org.openstack.jcinder.common.db.VolumeTypeEntity;
import org.openstack.jcinder.common.db.VolumeTypeRepository;
import org.openstack.jcinder.common.exception.CinderException;
import org.openstack.jcinder.common.exception.VolumeTypeNotFoundException;
import org.openstack.jcinder.shared.context.RequestContext;
import org.springframework.stereotype.Component;

/**
 * Finds volume types the way Cinder's API does: by id, else by name; the default from cinder.conf. The
 * {@code ...For(context, …)} forms hide a private type from a project that was not given access, as Cinder's
 * database layer does (it too decides on {@code context.is_admin}: this is visibility, not a policy).
 */
@Component
public class VolumeTypeLookup {

    private static final Pattern UUID_LIKE =
            Pattern.compile("^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$");

    private final VolumeTypeRepository types;
    private final CinderConfig config;
    private final EncryptionRepository encryptions;
    private final DefaultVolumeTypeRepository projectDefaults;
    private final PolicyEnforcer policy;

    public VolumeTypeLookup(VolumeTypeRepository types, CinderConfig config, EncryptionRepository encryptions,
                            DefaultVolumeTypeRepository projectDefaults, PolicyEnforcer policy) {
        this.policy = policy;
        this.types = types;
        this.config = config;
        this.encryptions = encryptions;
        this.projectDefaults = projectDefaults;
    }

    /** Cinder's {@code get_default_volume_type(context)}: the project's own default (3.62), else cinder.conf's. */
    public VolumeTypeEntity defaultTypeFor(RequestContext ctx) {
        return projectDefaults.findById(ctx.projectId())
                .flatMap(d -> types.findByIdAndDeletedFalse(d.getVolumeTypeId()))
                .orElseGet(this::defaultType);
    }

    /** Whether volumes of the type are encrypted (the type has an encryption spec). */
    public boolean isEncrypted(String typeId) {
        return encryptions.existsByVolumeTypeId(typeId);
    }

    public VolumeTypeEntity byId(String id) {
        return types.findByIdAndDeletedFalse(id).orElseThrow(() -> new VolumeTypeNotFoundException(id));
    }

    /** A type the caller may see: public, or private with access for the caller's project, or any for admins. */
    public boolean visibleTo(RequestContext ctx, VolumeTypeEntity t) {
        return policy.isAdmin(ctx) || t.isIsPublic() || t.getProjects().contains(ctx.projectId());
    }

    /** {@link #byId} for the caller: a private type without access is "not found" (404), as in Cinder. */
    public VolumeTypeEntity byIdFor(RequestContext ctx, String id) {
        VolumeTypeEntity t = byId(id);
        if (!visibleTo(ctx, t)) {
            throw new VolumeTypeNotFoundException(id);
        }
        return t;
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

    /**
     * Cinder's {@code get_by_name_or_id} for the caller (volume create): a UUID is an id, anything else a name;
     * a private type the caller's project has no access to is not found.
     */
    public VolumeTypeEntity byNameOrIdFor(RequestContext ctx, String nameOrId) {
        if (UUID_LIKE.matcher(nameOrId).matches()) {
            var found = types.findByIdAndDeletedFalse(nameOrId).filter(t -> visibleTo(ctx, t));
            if (found.isPresent()) {
                return found.get();
            }
        }
        return types.findByNameAndDeletedFalse(nameOrId).stream().filter(t -> visibleTo(ctx, t)).findFirst()
                .orElseThrow(() -> UUID_LIKE.matcher(nameOrId).matches() ? new VolumeTypeNotFoundException(nameOrId)
                        : new CinderException(404, "Volume type with name " + nameOrId + " could not be found."));
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
