package dev.qdrantedge.spring.data;

/** An enum payload value of {@link Note}. */
public enum Kind {
    IDEA, TODO, DONE
}
