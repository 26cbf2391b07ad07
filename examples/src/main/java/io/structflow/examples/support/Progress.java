package io.structflow.examples.support;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A terminal progress bar for long runs (me.tongfei.progressbar), silent when output is not a terminal. */
public final class Progress implements AutoCloseable {
    private final ProgressBar bar;

    /** A bar over {@code total} units of work named {@code task}. */
    public Progress(String task, long total) {
        bar = System.console() == null ? null
                : new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.ASCII).build();
    }

    /** One unit done. */
    public void step() {
        if (bar != null) {
            bar.step();
        }
    }

    /** Shows a short status text after the bar. */
    public void message(String text) {
        if (bar != null) {
            bar.setExtraMessage(text);
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
