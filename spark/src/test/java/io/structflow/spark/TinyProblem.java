package io.structflow.spark;

import io.structflow.constraints.project.BjorckOrthonormalization;
import io.structflow.core.loss.Losses;
import io.structflow.core.nn.Lambda;
import io.structflow.core.nn.Linear;
import io.structflow.core.nn.Sequential;
import io.structflow.core.optim.Adam;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A float64 classifier 2 → 6 → 6 → 2 whose middle weight is kept orthogonal by Björck
 * projection after every step, trained by Adam on cross-entropy: small enough for fast tests,
 * with a constraint and optimiser state for averaging to break.
 */
record TinyProblem(long seed, double learningRate) implements TrainingProblem {
    @Override
    public Replica build() {
        SplittableRandom rng = new SplittableRandom(seed);
        Linear lift = new Linear(2, 6, true, DataType.DOUBLE, rng);
        Linear square = new Linear(6, 6, true, DataType.DOUBLE, rng);
        square.weight().constrain(new BjorckOrthonormalization(100, 1e-12));
        square.weight().projectInPlace();
        Linear head = new Linear(6, 2, true, DataType.DOUBLE, rng);
        Sequential model = new Sequential(lift, new Lambda("tanh", t -> t.tanh()), square,
                new Lambda("tanh", t -> t.tanh()), head);
        return new Replica(model, (m, b) -> Losses.crossEntropy(m.forward(b.x()), b.labels()),
                new Adam(model, Adam.Config.defaults(learningRate)));
    }
}
