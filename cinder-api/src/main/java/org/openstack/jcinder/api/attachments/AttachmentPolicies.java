package org.openstack.jcinder.api.attachments;

import static org.openstack.jcinder.api.policy.BasePolicies.MEMBER;

import java.util.List;

import org.openstack.jcinder.shared.policy.PolicyRuleSource;
import org.openstack.jcinder.shared.policy.RuleDefault;
import org.springframework.stereotype.Component;

/** Cinder's rules of the attachments API ({@code cinder/policies/attachments.py}). */
@Component
public class AttachmentPolicies implements PolicyRuleSource {

    public static final String CREATE = "volume:attachment_create";
    public static final String UPDATE = "volume:attachment_update";
    public static final String DELETE = "volume:attachment_delete";
    public static final String COMPLETE = "volume:attachment_complete";

    @Override
    public List<RuleDefault> rules() {
        return List.of(
                RuleDefault.of(CREATE, MEMBER, "Create attachment.", "POST /attachments"),
                RuleDefault.of(UPDATE, MEMBER, "Update attachment.", "PUT /attachments/{attachment_id}"),
                RuleDefault.of(DELETE, MEMBER, "Delete attachment.", "DELETE /attachments/{attachment_id}"),
                RuleDefault.of(COMPLETE, MEMBER, "Mark a volume attachment process as completed (in-use)",
                        "POST /attachments/{attachment_id}/action (os-complete)"));
    }
}
