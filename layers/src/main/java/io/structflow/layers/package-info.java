/** structflow-layers: see the module's pom description and README.md. */
package io.structflow.layers;
