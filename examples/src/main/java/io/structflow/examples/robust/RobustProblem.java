package io.structflow.examples.robust;

import io.structflow.core.data.FashionMnist;
import io.structflow.layers.models.Architecture;
import io.structflow.layers.models.NetworkKind;
import io.structflow.layers.models.RobustNetworks;
import io.structflow.spark.Replica;
import io.structflow.spark.TrainingProblem;

/**
 * One network of the robustness experiment as a {@link TrainingProblem}: Spark executors rebuild
 * it from (kind, architecture, settings) — the architecture's seed fixes the initial weights —
 * with the loss and optimiser of {@link RobustExperiment}.
 *
 * @param kind     which network
 * @param arch     its architecture
 * @param settings training settings (margin, orthogonality weight, learning rate, momentum)
 */
public record RobustProblem(NetworkKind kind, Architecture arch, TrainingSettings settings) implements TrainingProblem {
    @Override
    public Replica build() {
        return replica(RobustNetworks.build(kind, arch, FashionMnist.NUM_CLASSES));
    }

    /** The replica training {@code network} (built from this problem's kind and architecture). */
    public Replica replica(RobustNetworks.Network network) {
        return new Replica(network.model(), RobustExperiment.loss(network, settings),
                RobustExperiment.optimizer(network, settings));
    }
}
