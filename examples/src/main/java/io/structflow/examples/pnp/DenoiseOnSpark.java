package io.structflow.examples.pnp;

import io.structflow.core.autodiff.Tensor;
import io.structflow.core.nn.Module;
import io.structflow.imaging.denoisers.DnCnn;
import io.structflow.imaging.denoisers.FlowDenoiser;
import io.structflow.spark.FlatParameters;
import io.structflow.spark.SparkSweep;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The denoising experiment's training on Spark ({@code denoise --spark}). Each run has two
 * independent trainings, and each is one Spark task ({@link SparkSweep}): the Euler denoiser
 * followed by its RK4 fine-tuning (which starts from the Euler parameters), and DnCNN. The
 * training images are broadcast once; a task trains exactly as {@link DenoiseExperiment#run}
 * does on one machine (same seeds, same steps) and sends back the parameters, the batch losses
 * and the training time. The driver rebuilds the denoisers from the parameters and
 * {@link DenoiseExperiment#evaluate evaluates} them as on one machine, so the report equals the
 * local one except for wall-clock times.
 */
public final class DenoiseOnSpark {
    private DenoiseOnSpark() {
    }

    /** What a task trains. */
    enum Part {
        /** The Euler denoiser, then its RK4 variant. */
        FLOW,
        /** DnCNN. */
        DNCNN
    }

    /** One training of one run. */
    record Task(DenoiseExperiment.Config config, Part part) implements Serializable {
    }

    /** A training image as plain data: shape {@code [1, 1, H, W]} and values in row-major order. */
    record Image(long[] shape, double[] values) implements Serializable {
    }

    /** A trained denoiser as plain data: flat parameters, batch losses, training seconds. */
    record TrainedValues(double[] parameters, double[] losses, double seconds) implements Serializable {
        static TrainedValues of(DenoiseExperiment.Trained<?> trained) {
            return new TrainedValues(FlatParameters.values(trained.model().parameters()), trained.losses(),
                    trained.seconds());
        }

        /** {@code model} (same architecture) holding these parameters. */
        <M extends Module> DenoiseExperiment.Trained<M> into(M model) {
            FlatParameters.setValues(model.parameters(), parameters);
            return new DenoiseExperiment.Trained<>(model, losses, seconds);
        }
    }

    /**
     * Trains the denoisers of every configuration on Spark and evaluates them on the driver.
     *
     * @param configs one per run (seeds differing)
     * @param data    training images and test crops
     * @return the results, in the order of {@code configs}
     */
    public static List<DenoiseExperiment.Result> run(JavaSparkContext sc, List<DenoiseExperiment.Config> configs,
                                                     ImageSets data) {
        List<Task> tasks = new ArrayList<>();
        for (DenoiseExperiment.Config config : configs) {
            tasks.add(new Task(config, Part.FLOW));
            tasks.add(new Task(config, Part.DNCNN));
        }
        Image[] images = data.train().stream().map(t -> new Image(t.shape(), t.toDoubleArray())).toArray(Image[]::new);
        List<ArrayList<TrainedValues>> trained = SparkSweep.run(sc, images, tasks, DenoiseOnSpark::train);
        List<DenoiseExperiment.Result> results = new ArrayList<>();
        for (int r = 0; r < configs.size(); r++) {
            DenoiseExperiment.Config config = configs.get(r);
            int patch = config.training().patch();
            List<TrainedValues> flow = trained.get(2 * r);
            DenoiseExperiment.Trained<FlowDenoiser> euler = flow.get(0).into(DenoiseExperiment.newEuler(config));
            DenoiseExperiment.Trained<FlowDenoiser> rk4 = flow.get(1).into(
                    euler.model().resized(patch, patch, config.type(), FlowDenoiser.Scheme.RK4));
            DenoiseExperiment.Trained<DnCnn> dncnn = trained.get(2 * r + 1).get(0).into(DenoiseExperiment.newDncnn(config));
            results.add(DenoiseExperiment.evaluate(config, data, euler, rk4, dncnn));
        }
        return results;
    }

    private static ArrayList<TrainedValues> train(Image[] images, Task task) {
        List<Tensor> train = Arrays.stream(images).map(i -> Tensor.of(DataType.DOUBLE, i.values(), i.shape())).toList();
        ArrayList<TrainedValues> out = new ArrayList<>();
        if (task.part() == Part.FLOW) {
            DenoiseExperiment.Trained<FlowDenoiser> euler = DenoiseExperiment.trainEuler(task.config(), train, null);
            out.add(TrainedValues.of(euler));
            out.add(TrainedValues.of(DenoiseExperiment.trainRk4(task.config(), euler.model(), train, null)));
        } else {
            out.add(TrainedValues.of(DenoiseExperiment.trainDncnn(task.config(), train, null)));
        }
        return out;
    }
}
