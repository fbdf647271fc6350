package org.openstack.jcinder.shared.policy;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.openstack.jcinder.shared.context.RequestContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * oslo.policy's enforcer without the web: the registered defaults (one {@link PolicyRuleSource} per feature),
 * overridden by the operator's {@link PolicyOverrides}, evaluated for a caller and a target. Each service wraps
 * it to answer a refusal in its own words (Cinder's and Nova's 403s).
 * <p>
 * The rules in effect are parsed once per version of the operator's file (the overrides hand back the same map
 * until the file changes), so a check costs map look-ups, not parsing: the volume list evaluates the view
 * attribute rules for every row.
 */
public final class PolicyEngine {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyEngine.class);
    /** oslo.policy's {@code [oslo_policy] policy_default_rule}: what a {@code rule:} naming no rule evaluates. */
    public static final String DEFAULT_RULE = "default";
    /** The rule behind oslo.context's {@code is_admin} (Cinder's {@code policy.check_is_admin}). */
    public static final String CONTEXT_IS_ADMIN = "context_is_admin";

    private final Map<String, RuleDefault> defaults;
    private final PolicyOverrides overrides;
    private volatile Rules rules;

    /** The rules in effect for one version of the overrides, parsed. */
    private record Rules(Map<String, Object> source, Map<String, String> text, Map<String, CheckString> parsed) {
    }

    public PolicyEngine(List<? extends PolicyRuleSource> sources, PolicyOverrides overrides) {
        Map<String, RuleDefault> all = new LinkedHashMap<>();
        for (PolicyRuleSource source : sources) {
            for (RuleDefault rule : source.rules()) {
                RuleDefault previous = all.putIfAbsent(rule.name(), rule);
                if (previous != null && !previous.equals(rule)) {
                    throw new IllegalStateException("policy rule " + rule.name() + " is declared twice");
                }
                try {
                    CheckString.parse(rule.checkString());
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException("policy rule " + rule.name() + ": default \""
                            + rule.checkString() + "\" is not a check string: " + e.getMessage(), e);
                }
            }
        }
        this.defaults = Map.copyOf(all);
        this.overrides = overrides;
        current(); // an unreadable file is reported at start-up, not at the first request
    }

    /** Every registered rule with the check string in effect now (defaults, then the operator's file). */
    public Map<String, String> rulesInEffect() {
        return current().text();
    }

    public List<RuleDefault> registeredRules() {
        return defaults.values().stream().sorted((a, b) -> a.name().compareTo(b.name())).toList();
    }

    public boolean isRegistered(String action) {
        return defaults.containsKey(action);
    }

    /**
     * Refuses, at start-up, code that names a rule nobody registered (oslo.policy's PolicyNotRegistered would
     * otherwise reach a user as a 500 on the first request).
     */
    public void requireRegistered(Iterable<String> actions) {
        for (String action : actions) {
            if (!isRegistered(action)) {
                throw new IllegalStateException("policy rule " + action + " is not registered");
            }
        }
    }

    /** Whether {@code action} allows the caller on {@code target}; an unregistered action is a programming error. */
    public boolean allows(RequestContext context, String action, PolicyTarget target) {
        if (!defaults.containsKey(action)) {
            // oslo.policy's PolicyNotRegistered: a programming error, not the caller's.
            throw new IllegalStateException("policy rule " + action + " is not registered");
        }
        return new Run(context, target, current()).rule(action);
    }

    /**
     * oslo.context's {@code is_admin} as Cinder computes it: {@code context_is_admin} checked with the caller's
     * own credentials as the target. What an API shows every project's resources to, or admin-only fields.
     */
    public boolean isAdmin(RequestContext context) {
        return new Run(context, ownTarget(context), current()).isAdmin();
    }

    private static PolicyTarget ownTarget(RequestContext context) {
        Map<String, String> self = new LinkedHashMap<>();
        putIfNotNull(self, "project_id", context.projectId());
        putIfNotNull(self, "user_id", context.userId());
        putIfNotNull(self, "user_domain_id", context.userDomainId());
        putIfNotNull(self, "project_domain_id", context.projectDomainId());
        return new PolicyTarget(self);
    }

    private static void putIfNotNull(Map<String, String> m, String key, String value) {
        if (value != null) {
            m.put(key, value);
        }
    }

    private Rules current() {
        Map<String, ?> source = overrides.rules();
        Rules r = rules;
        if (r != null && r.source() == source) {
            return r;
        }
        synchronized (this) {
            if (rules != null && rules.source() == source) {
                return rules;
            }
            rules = build(source);
            return rules;
        }
    }

    /** Defaults, then the operator's rules over them (and any extra rule of theirs, for {@code rule:}). */
    @SuppressWarnings("unchecked")
    private Rules build(Map<String, ?> source) {
        Map<String, String> text = new LinkedHashMap<>();
        Map<String, CheckString> parsed = new LinkedHashMap<>();
        defaults.values().forEach(r -> {
            text.put(r.name(), r.checkString());
            parsed.put(r.name(), CheckString.parse(r.checkString()));
        });
        source.forEach((name, value) -> {
            text.put(name, value instanceof List<?> ? String.valueOf(value) : String.valueOf(value));
            try {
                parsed.put(name, value instanceof List<?> list ? CheckString.parseList(list)
                        : CheckString.parse(value == null ? "" : value.toString()));
            } catch (IllegalArgumentException e) {
                LOG.error("Policy rule {} has an invalid check string \"{}\" ({}); it denies every request",
                        name, value, e.getMessage());
                parsed.put(name, new CheckString.Always(false));
            }
        });
        return new Rules((Map<String, Object>) source, Map.copyOf(text), Map.copyOf(parsed));
    }

    /** One evaluation: the caller's credentials as oslo.policy's creds dict, with a guard against rule loops. */
    private static final class Run implements CheckString.Evaluation {
        private final RequestContext context;
        private final PolicyTarget target;
        private final Rules rules;
        private final Set<String> evaluating;
        private Boolean isAdmin;

        Run(RequestContext context, PolicyTarget target, Rules rules) {
            this(context, target, rules, new HashSet<>());
        }

        private Run(RequestContext context, PolicyTarget target, Rules rules, Set<String> evaluating) {
            this.context = context;
            this.target = target;
            this.rules = rules;
            this.evaluating = evaluating;
        }

        /** Cinder's {@code context.to_policy_values()}: oslo.context's values plus {@code is_admin}. */
        @Override
        public Object credential(String key) {
            return switch (key) {
                case "user_id" -> context.userId();
                case "project_id", "tenant" -> context.projectId();
                case "user_domain_id" -> context.userDomainId();
                case "project_domain_id" -> context.projectDomainId();
                case "roles" -> context.roles();
                case "service_roles" -> context.serviceRoles();
                case "is_admin" -> isAdmin() ? "True" : "False";
                // Without [DEFAULT] admin_project configured, oslo.context calls every project the admin one.
                case "is_admin_project" -> "True";
                // Project-scoped tokens only: no system or domain scope (str(None)).
                case "system_scope", "domain_id" -> "None";
                default -> null;
            };
        }

        @Override
        public List<String> roles() {
            return context.roles();
        }

        @Override
        public String target(String key) {
            return target.get(key);
        }

        @Override
        public boolean rule(String name) {
            CheckString check = rules.parsed().get(name);
            if (check == null) {
                check = rules.parsed().get(DEFAULT_RULE); // oslo.policy's Rules.__missing__
            }
            if (check == null || !evaluating.add(name)) {
                return false;
            }
            try {
                return check.allows(this);
            } finally {
                evaluating.remove(name);
            }
        }

        /** {@code context_is_admin} against the caller itself; while it is evaluated, is_admin is False. */
        boolean isAdmin() {
            if (isAdmin == null) {
                isAdmin = false;
                CheckString check = rules.parsed().get(CONTEXT_IS_ADMIN);
                Run self = new Run(context, ownTarget(context), rules, evaluating);
                self.isAdmin = false;
                isAdmin = check != null && check.allows(self);
            }
            return isAdmin;
        }
    }
}
