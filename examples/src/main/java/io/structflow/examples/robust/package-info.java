/**
 * The robustness experiment of [CMOSS] §3.3 on Fashion-MNIST (the {@code structflow robust}
 * sub-command): five convolutional networks of the same depth (prescribed switching (3.11),
 * flexible switching (3.12), non-expansive only (3.5), the naive constrained residual block and
 * the unconstrained ResNet), trained with the multi-class hinge loss, then measured by ℓ2-PGD
 * robust accuracy, margin-certified accuracy (3.1) and the areas under both curves.
 */
package io.structflow.examples.robust;
