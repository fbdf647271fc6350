package org.openstack.jcinder.shared.context;

import org.slf4j.MDC;

/**
 * The request context of the current thread, mirrored into the logging MDC so every log line shows
 * {@code [req-id user project]} the way oslo.log does.
 */
public final class ContextHolder {

    private static final ThreadLocal<RequestContext> CURRENT = new ThreadLocal<>();

    private ContextHolder() {
    }

    public static void set(RequestContext ctx) {
        CURRENT.set(ctx);
        if (ctx == null) {
            MDC.remove("request_id");
            MDC.remove("user_id");
            MDC.remove("project_id");
            // Set by the work the request led to (a migration's ids and phase): they end with it too.
            MDC.remove("volume_id");
            MDC.remove("migration_id");
            MDC.remove("phase");
            return;
        }
        MDC.put("request_id", ctx.requestId());
        MDC.put("user_id", ctx.userId() == null ? "-" : ctx.userId());
        MDC.put("project_id", ctx.projectId() == null ? "-" : ctx.projectId());
    }

    public static RequestContext current() {
        RequestContext ctx = CURRENT.get();
        return ctx != null ? ctx : RequestContext.internal();
    }

    public static void clear() {
        set(null);
    }
}
