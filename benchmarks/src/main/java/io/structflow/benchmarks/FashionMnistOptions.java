package io.structflow.benchmarks;

import io.structflow.core.data.FashionMnist;
import io.structflow.layers.models.NetworkKind;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options the Fashion-MNIST benchmark mains share: which network of §3.3, and where the data are. */
final class FashionMnistOptions {
    @Option(names = "--network", defaultValue = "prescribed",
            description = "prescribed (switching network (3.11)) or resnet (default ${DEFAULT-VALUE})")
    String network;

    @Option(names = "--data", description = "Fashion-MNIST directory (default " + FashionMnist.DEFAULT_DIRECTORY
            + "; apt-get install -y dataset-fashion-mnist)")
    Path data = FashionMnist.defaultDirectory();

    /** The network kind named by {@code --network}. */
    NetworkKind kind() {
        return switch (network) {
            case "prescribed" -> NetworkKind.PRESCRIBED;
            case "resnet" -> NetworkKind.RESNET;
            default -> throw new IllegalArgumentException("--network: expected prescribed or resnet but got '"
                    + network + "'");
        };
    }
}
