/** JMH benchmarks of structflow; run {@code java -jar benchmarks/target/benchmarks.jar}. */
package io.structflow.benchmarks;
