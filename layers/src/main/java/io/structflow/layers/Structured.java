package io.structflow.layers;

import java.util.Set;

/** A layer that reports the {@link Property properties} it guarantees ([CMOSS] Table 1). */
public interface Structured {
    /** The guaranteed properties (an unmodifiable set, possibly empty). */
    Set<Property> properties();
}
