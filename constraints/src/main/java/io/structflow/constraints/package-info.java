/** structflow-constraints: see the module's pom description and README.md. */
package io.structflow.constraints;
