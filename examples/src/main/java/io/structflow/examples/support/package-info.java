/** Shared pieces of the example commands: results.json, PNG plots, tables, progress bars, option converters. */
package io.structflow.examples.support;
