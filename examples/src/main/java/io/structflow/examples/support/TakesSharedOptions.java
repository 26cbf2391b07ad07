package io.structflow.examples.support;

/** A command that mixes in {@link SharedOptions}: it says which of them it takes and their defaults. */
public interface TakesSharedOptions {
    /** The shared options this command takes. */
    SharedOptionUse sharedOptionUse();
}
