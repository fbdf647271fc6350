package org.openstack.jcinder.shared.policy;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.openstack.jcinder.shared.context.RequestContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * oslo.policy's enforcer without the web: the registered defaults (one {@link PolicyRuleSource} per feature),
 * overridden by the operator's {@link PolicyOverrides}, evaluated for a caller and a target. Each service wraps
 * it to answer a refusal in its own words (Cinder's and Nova's 403s).
 */
public final class PolicyEngine {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyEngine.class);

    private final Map<String, RuleDefault> defaults;
    private final PolicyOverrides overrides;
    private final Map<String, CheckString> parsed = new ConcurrentHashMap<>();

    public PolicyEngine(List<? extends PolicyRuleSource> sources, PolicyOverrides overrides) {
        Map<String, RuleDefault> all = new LinkedHashMap<>();
        for (PolicyRuleSource source : sources) {
            for (RuleDefault rule : source.rules()) {
                RuleDefault previous = all.putIfAbsent(rule.name(), rule);
                if (previous != null && !previous.equals(rule)) {
                    throw new IllegalStateException("policy rule " + rule.name() + " is declared twice");
                }
            }
        }
        this.defaults = Map.copyOf(all);
        this.overrides = overrides;
    }

    /** Every registered rule with the check string in effect now (defaults, then the operator's file). */
    public Map<String, String> rulesInEffect() {
        Map<String, String> out = new LinkedHashMap<>();
        defaults.values().forEach(r -> out.put(r.name(), r.checkString()));
        out.putAll(overrides.rules());
        return out;
    }

    public List<RuleDefault> registeredRules() {
        return defaults.values().stream().sorted((a, b) -> a.name().compareTo(b.name())).toList();
    }

    /** Whether {@code action} allows the caller on {@code target}; an unregistered action is a programming error. */
    public boolean allows(RequestContext context, String action, PolicyTarget target) {
        if (!defaults.containsKey(action) && !overrides.rules().containsKey(action)) {
            // oslo.policy's PolicyNotRegistered: a programming error, not the caller's.
            throw new IllegalStateException("policy rule " + action + " is not registered");
        }
        Map<String, String> rules = rulesInEffect();
        return new Run(context, target, rules).rule(action);
    }

    private CheckString parse(String name, String text) {
        return parsed.computeIfAbsent(name + "\u0000" + text, k -> {
            try {
                return CheckString.parse(text);
            } catch (IllegalArgumentException e) {
                LOG.error("Policy rule {} has an invalid check string \"{}\" ({}); it denies every request",
                        name, text, e.getMessage());
                return new CheckString.Always(false);
            }
        });
    }

    /** One evaluation: the caller's credentials as oslo.policy's creds dict, with a guard against rule loops. */
    private final class Run implements CheckString.Evaluation {
        private final RequestContext context;
        private final PolicyTarget target;
        private final Map<String, String> rules;
        private final Set<String> evaluating = new HashSet<>();
        private Boolean isAdmin;

        Run(RequestContext context, PolicyTarget target, Map<String, String> rules) {
            this.context = context;
            this.target = target;
            this.rules = rules;
        }

        @Override
        public String credential(String key) {
            return switch (key) {
                case "user_id" -> context.userId();
                case "project_id", "tenant" -> context.projectId();
                case "user_name" -> context.userName();
                case "project_name" -> context.projectName();
                case "user_domain_id" -> context.userDomainId();
                case "project_domain_id", "domain_id" -> context.projectDomainId();
                case "is_admin" -> String.valueOf(isAdmin());
                // Cinder without an admin project configured treats every project as the admin project.
                case "is_admin_project" -> "True";
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
            String text = rules.get(name);
            if (text == null || !evaluating.add(name)) {
                return false;
            }
            try {
                return parse(name, text).allows(this);
            } finally {
                evaluating.remove(name);
            }
        }

        /** Cinder's context.is_admin: the {@code context_is_admin} rule checked against the caller itself. */
        private boolean isAdmin() {
            if (isAdmin == null) {
                isAdmin = false; // while evaluating: context_is_admin may not itself ask is_admin
                Run self = new Run(context, PolicyTarget.owner(context.projectId(), context.userId()), rules);
                String text = rules.getOrDefault("context_is_admin", "role:admin");
                isAdmin = parse("context_is_admin", text).allows(new NoIsAdmin(self));
            }
            return isAdmin;
        }
    }

    private record NoIsAdmin(Run run) implements CheckString.Evaluation {
        public String credential(String key) {
            return key.equals("is_admin") ? "False" : run.credential(key);
        }

        public List<String> roles() {
            return run.roles();
        }

        public String target(String key) {
            return run.target(key);
        }

        public boolean rule(String name) {
            return run.rule(name);
        }
    }
}
