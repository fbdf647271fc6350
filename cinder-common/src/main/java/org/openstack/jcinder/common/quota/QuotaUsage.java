package org.openstack.jcinder.common.quota;

/** One resource of a project: its limit (-1 unlimited), what exists and what is granted but not finished. */
public record QuotaUsage(int limit, int inUse, int reserved) {

    public long consumed() {
        return (long) inUse + reserved;
    }
}
