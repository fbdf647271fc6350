package org.openstack.jcinder.volume.migration;

import java.util.Comparator;
import java.util.List;
import org.openstack.jcinder.common.volume.MigrationPath;

/**
 * One way to move a volume (the three boxes of the seed's diagram). Each says how well it fits a job; the
 * migrator runs them best first until one has moved the volume, as CloudStack's storage motion strategies do.
 */
public interface MigrationStrategy {

    /** How well a strategy fits; the order of the constants is the rank. */
    enum Fitness {
        CANNOT, DEFAULT, HIGHEST
    }

    /** The path this strategy takes, as recorded on the migration and shown in its progress. */
    MigrationPath path();

    Fitness fitness(MigrationJob job);

    /**
     * Why this strategy would not move the job's volume, or null when it would (a dry-run's question; decided
     * without touching the volume). By default: the fitness says whether it can.
     */
    default String refusal(MigrationJob job) {
        return fitness(job) == Fitness.CANNOT ? "not applicable" : null;
    }

    /**
     * Moves the volume, or hands it to someone who will (the compute service): true. Answers false for "not
     * moved" so the next strategy runs; throws when the migration must stop.
     */
    boolean migrate(MigrationJob job);

    /** The strategies that can handle the job, best first; ties by name so the order is deterministic. */
    static List<MigrationStrategy> ranked(List<MigrationStrategy> strategies, MigrationJob job) {
        return strategies.stream()
                .filter(s -> s.fitness(job) != Fitness.CANNOT)
                .sorted(Comparator.comparing((MigrationStrategy s) -> s.fitness(job)).reversed()
                        .thenComparing(s -> s.path().wire()))
                .toList();
    }
}
