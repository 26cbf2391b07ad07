/**
 * The {@code certify} experiment: certified training of 1-Lipschitz classifiers on Fashion-MNIST
 * (Lipschitz-margin loss, orthogonal and non-expansive convolutions), clean, certified and
 * PGD-ℓ2 robust accuracy, bound tightness, time and memory.
 */
package io.structflow.examples.certify;
