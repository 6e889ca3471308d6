package io.flotilla.bench.core;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What one JMH operation of a benchmark method is, in words. JMH only knows "ops"; the
 * summary ({@link JmhSummary}) prints this next to each figure so a reader knows what was
 * counted without opening the source.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Measures {
    String value();
}
