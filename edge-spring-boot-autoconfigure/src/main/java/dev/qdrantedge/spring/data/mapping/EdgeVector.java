package dev.qdrantedge.spring.data.mapping;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a property of an entity as one of the point's vectors instead of a payload field. The property's type
 * is {@code float[]}, {@code List<Float>}, Spring Data's {@link org.springframework.data.domain.Vector} (dense
 * vectors) or the engine's {@link dev.qdrantedge.engine.vectors.SparseVector} (sparse vectors). Only
 * properties of the entity class itself are vectors; the annotation has no effect on nested objects.
 *
 * <pre>{@code
 * record Note(@Id Long id, String text, @EdgeVector("text") float[] embedding) {}
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
public @interface EdgeVector {

    /** The vector's name in the shard configuration; {@code ""} (the default) is the unnamed vector. */
    String value() default "";
}
