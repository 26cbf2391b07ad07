package io.structflow.constraints.project;

import io.structflow.constraints.linalg.ConvOperatorNorm;
import io.structflow.constraints.linalg.DenseSpectralNorm;
import io.structflow.core.autodiff.ConvGeometry;
import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Constraint;
import io.structflow.core.nn.Init;
import io.structflow.core.nn.Parameter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Nested;
import org.nd4j.linalg.api.buffer.DataType;

/** One short {@link ConstraintContract} per projector, with its own random points. */
class ProjectorContractTests {
    private static final DataType D = DataType.DOUBLE;

    private static Tensor randn(long seed, long... shape) {
        return Tensor.randn(D, new SplittableRandom(seed), shape);
    }

    @Nested
    class Bjorck extends ConstraintContract {
        @Override
        Constraint constraint() {
            return new BjorckOrthonormalization();
        }

        @Override
        Parameter randomParameter(long seed, DataType type) {
            long[] shape = seed % 2 == 0 ? new long[] {6, 4} : new long[] {3, 5};
            Tensor q = Init.orthogonal(D, new SplittableRandom(seed), shape);
            return ConstraintContract.param("W", q.add(randn(seed + 1, shape).mul(0.2)), type);
        }

        @Override
        Parameter wrongShape() {
            return ConstraintContract.param("W", randn(1, 2, 3, 4), D);
        }
    }

    @Nested
    class DenseSpectral extends ConstraintContract {
        @Override
        Constraint constraint() {
            return SpectralNormBound.dense(1.0);
        }

        @Override
        Parameter randomParameter(long seed, DataType type) {
            return ConstraintContract.param("A", randn(seed, 5, 4).mul(0.8), type);
        }

        @Override
        Parameter wrongShape() {
            return ConstraintContract.param("A", randn(1, 4), D);
        }
    }

    @Nested
    class ConvSpectral extends ConstraintContract {
        @Override
        Constraint constraint() {
            return SpectralNormBound.convolution(1.0, new ConvGeometry(1, 1, 1, 1), 6, 6);
        }

        @Override
        Parameter randomParameter(long seed, DataType type) {
            return ConstraintContract.param("K", randn(seed, 3, 2, 3, 3).mul(0.4), type);
        }

        @Override
        Parameter wrongShape() {
            return ConstraintContract.param("K", randn(1, 3, 2), D);
        }
    }

    /** The same parameters and wrong shape as {@link DenseSpectral}, clipped instead of rescaled. */
    @Nested
    class DenseSpectralClip extends DenseSpectral {
        @Override
        Constraint constraint() {
            return new SpectralNormClip(1.0, new DenseSpectralNorm(), 1e-6, 5);
        }
    }

    /** The same parameters and wrong shape as {@link ConvSpectral}, clipped instead of rescaled. */
    @Nested
    class ConvSpectralClip extends ConvSpectral {
        @Override
        Constraint constraint() {
            return new SpectralNormClip(1.0, new ConvOperatorNorm(new ConvGeometry(1, 1, 1, 1), 6, 6), 1e-6, 5);
        }
    }

    @Nested
    class Box extends ConstraintContract {
        @Override
        Constraint constraint() {
            return new StepBox(0.11, 1.9);
        }

        @Override
        Parameter randomParameter(long seed, DataType type) {
            return ConstraintContract.param("h", randn(seed, 6).mul(2).add(1), type);
        }

        @Override
        Parameter wrongShape() {
            // no float32 value lies in [0.1 + 1e-12, 0.1 + 2e-12]
            Parameter p = new Parameter("h", Tensor.zeros(DataType.FLOAT, 1).value());
            return p;
        }

        @Override
        @org.junit.jupiter.api.Test
        void validate_wrongShape_throwsIllegalArgumentNamingShape() {
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> wrongShape().constrain(new StepBox(0.1 + 1e-12, 0.1 + 2e-12)));
        }
    }

    @Nested
    class Euler extends ConstraintContract {
        private final Parameter weight = new Parameter("A", randn(42, 4, 4).mul(0.7).value());

        @Override
        Constraint constraint() {
            return new EulerStepBound(weight);
        }

        @Override
        Parameter randomParameter(long seed, DataType type) {
            return ConstraintContract.param("tau", randn(seed, 3).mul(0.5).add(0.3), type);
        }

        @Override
        Parameter wrongShape() {
            return weight;
        }
    }

    @Nested
    class Region extends ConstraintContract {
        @Override
        Constraint constraint() {
            return new NonExpansiveStepRegion(0.5, 2);
        }

        @Override
        Parameter randomParameter(long seed, DataType type) {
            return ConstraintContract.param("h", randn(seed, 4, 2).mul(0.8).add(0.3), type);
        }

        @Override
        Parameter wrongShape() {
            return ConstraintContract.param("h", randn(1, 4, 3), D);
        }
    }

    @Nested
    class Flexible extends ConstraintContract {
        @Override
        Constraint constraint() {
            return FlexibleSwitchingRegion.appendixC(0.5, 1);
        }

        @Override
        Parameter randomParameter(long seed, DataType type) {
            return ConstraintContract.param("h", randn(seed, 5, 2).mul(1.2).add(0.2), type);
        }

        @Override
        Parameter wrongShape() {
            return ConstraintContract.param("h", randn(1, 3), D);
        }
    }
}
