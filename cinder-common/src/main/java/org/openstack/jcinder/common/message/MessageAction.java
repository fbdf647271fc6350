package org.openstack.jcinder.common.message;

import java.util.Arrays;

/**
 * What was being done when a user message was written: Cinder's {@code message_field.Action} codes and texts,
 * plus two this project adds (017, 018) because Cinder writes no message for a failed migration or retype.
 */
public enum MessageAction {
    SCHEDULE_ALLOCATE_VOLUME("001", "schedule allocate volume"),
    ATTACH_VOLUME("002", "attach volume"),
    COPY_VOLUME_TO_IMAGE("003", "copy volume to image"),
    UPDATE_ATTACHMENT("004", "update attachment"),
    COPY_IMAGE_TO_VOLUME("005", "copy image to volume"),
    UNMANAGE_VOLUME("006", "unmanage volume"),
    EXTEND_VOLUME("007", "extend volume"),
    CREATE_VOLUME_FROM_BACKEND("008", "create volume from backend storage"),
    SNAPSHOT_CREATE("009", "create snapshot"),
    SNAPSHOT_DELETE("010", "delete snapshot"),
    SNAPSHOT_UPDATE("011", "update snapshot"),
    SNAPSHOT_METADATA_UPDATE("012", "update snapshot metadata"),
    BACKUP_CREATE("013", "create backup"),
    BACKUP_DELETE("014", "delete backup"),
    BACKUP_RESTORE("015", "restore backup"),
    REIMAGE_VOLUME("016", "reimage volume"),
    /** This project's: a migration that did not move the volume. */
    MIGRATE_VOLUME("017", "migrate volume"),
    /** This project's: a retype that did not change the volume's type. */
    RETYPE_VOLUME("018", "retype volume");

    private final String id;
    private final String text;

    MessageAction(String id, String text) {
        this.id = id;
        this.text = text;
    }

    public String id() {
        return id;
    }

    public String text() {
        return text;
    }

    /** Cinder's {@code translate_action}: the text of a stored code, "unknown action" for any other. */
    public static String translate(String actionId) {
        return Arrays.stream(values()).filter(a -> a.id.equals(actionId)).map(MessageAction::text).findFirst()
                .orElse("unknown action");
    }
}
