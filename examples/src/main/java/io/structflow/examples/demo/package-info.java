/** The {@code demo} command's experiment: a small gradient-flow classifier on two moons. */
package io.structflow.examples.demo;
