package org.openstack.jcinder.api.actions;

import java.util.Map;

import org.openstack.jcinder.api.manage.ManageService;
import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.api.web.JsonBody;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import tools.jackson.databind.JsonNode;

/** {@code POST /v3/[project/]volumes/{id}/action}: one action per body, named by its single key. */
@RestController
public class VolumeActionsController {

    private final MigrationActions migrations;
    private final AttachActions attach;
    private final ExtendActions extend;
    private final RunningMigrationActions running;
    private final CopyProgressReports progressReports;
    private final VolumeFlagActions flags;
    private final RevertActions revert;
    private final ManageService manage;
    private final MigrationRevertAction migrationRevert;

    public VolumeActionsController(MigrationActions migrations, AttachActions attach, ExtendActions extend,
                                   RunningMigrationActions running, CopyProgressReports progressReports,
                                   VolumeFlagActions flags, RevertActions revert, ManageService manage,
                                   MigrationRevertAction migrationRevert) {
        this.revert = revert;
        this.manage = manage;
        this.migrationRevert = migrationRevert;
        this.progressReports = progressReports;
        this.flags = flags;
        this.migrations = migrations;
        this.attach = attach;
        this.extend = extend;
        this.running = running;
    }

    private static ResponseEntity<?> accepted(Runnable action) {
        action.run();
        return ResponseEntity.status(HttpStatus.ACCEPTED).build();
    }

    @PostMapping({"/v3/{projectId}/volumes/{volumeId}/action", "/v3/volumes/{volumeId}/action"})
    public ResponseEntity<?> action(ApiRequest req, @PathVariable String volumeId, @RequestBody JsonNode body) {
        if (body == null || !body.isObject() || body.size() != 1) {
            throw JsonBody.bad("The action body must be an object with exactly one action.");
        }
        String action = body.propertyNames().iterator().next();
        JsonNode args = body.get(action);
        return switch (action) {
            case "os-migrate_volume" -> {
                Map<String, Object> dryRun = migrations.migrate(req, volumeId, args);
                yield dryRun == null ? ResponseEntity.status(HttpStatus.ACCEPTED).build() : ResponseEntity.ok(dryRun);
            }
            case MigrationRevertAction.ACTION -> accepted(() -> migrationRevert.revert(req, volumeId, args));
            case "os-migrate_volume_completion" -> ResponseEntity.ok(Map.of("save_volume_id",
                    migrations.complete(req, volumeId, args)));
            case "os-reset_status" -> {
                migrations.resetStatus(req, volumeId, args);
                yield ResponseEntity.status(HttpStatus.ACCEPTED).build();
            }
            case "os-migrate_volume_cancel" -> accepted(() -> running.cancel(req, volumeId, args));
            case "os-migrate_volume_update" -> accepted(() -> running.update(req, volumeId, args));
            case "os-extend" -> accepted(() -> extend.extend(req, volumeId, args));
            case "os-retype" -> accepted(() -> migrations.retype(req, volumeId, args));
            case CopyProgressReports.ACTION -> ResponseEntity.ok(progressReports.report(req, volumeId, args).view());
            case "os-reserve" -> accepted(() -> attach.reserve(req, volumeId));
            case "os-unreserve" -> accepted(() -> attach.unreserve(req, volumeId));
            case "os-attach" -> accepted(() -> attach.attach(req, volumeId, args));
            case "os-begin_detaching" -> accepted(() -> attach.beginDetaching(req, volumeId));
            case "os-roll_detaching" -> accepted(() -> attach.rollDetaching(req, volumeId));
            case "os-detach" -> accepted(() -> attach.detach(req, volumeId, args));
            case "os-force_delete" -> accepted(() -> flags.forceDelete(req, volumeId));
            case "revert" -> accepted(() -> revert.revert(req, volumeId, args));
            case "os-unmanage" -> accepted(() -> manage.unmanageVolume(req, volumeId));
            case "os-update_readonly_flag" -> accepted(() -> flags.updateReadonly(req, volumeId, args));
            case "os-set_bootable" -> {
                flags.setBootable(req, volumeId, args);
                yield ResponseEntity.ok().build();
            }
            default -> throw JsonBody.bad("There is no such action: " + action);
        };
    }
}
