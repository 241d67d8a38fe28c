package dev.qdrantedge.spring.data.core;

import dev.qdrantedge.engine.filter.JsonPath;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.data.core.PropertyPath;
import org.springframework.data.mapping.MappingException;
import tools.jackson.databind.introspect.BeanPropertyDefinition;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON names Jackson gives Java properties, and the payload paths of property paths: {@code address.city}
 * becomes {@code address.city} (or whatever {@code @JsonProperty} renames), a step through a collection adds
 * Qdrant's {@code []}: {@code addresses[].city}.
 */
final class PayloadKeys {

    private final JsonMapper mapper;
    private final Map<Class<?>, Map<String, String>> names = new ConcurrentHashMap<>();

    PayloadKeys(JsonMapper mapper) {
        this.mapper = mapper;
    }

    /** The JSON name of the Java property {@code property} of {@code owner}, or {@code null} if Jackson skips it. */
    String key(Class<?> owner, String property) {
        return names.computeIfAbsent(owner, this::introspect).get(property);
    }

    private Map<String, String> introspect(Class<?> type) {
        Map<String, String> byJavaName = new LinkedHashMap<>();
        List<BeanPropertyDefinition> properties = mapper._serializationContext()
                .introspectBeanDescription(mapper.constructType(type)).findProperties();
        for (BeanPropertyDefinition property : properties) {
            byJavaName.put(property.getInternalName(), property.getName());
        }
        return Collections.unmodifiableMap(byJavaName);
    }

    /**
     * The payload path of a property path of an entity.
     *
     * @throws MappingException when a property on the way is not written by Jackson
     */
    JsonPath path(PropertyPath path) {
        String first = null;
        List<JsonPath.Step> steps = new ArrayList<>();
        for (PropertyPath segment = path; segment != null; segment = segment.hasNext() ? segment.next() : null) {
            Class<?> owner = segment.getOwningType().getType();
            String key = key(owner, segment.getSegment());
            if (key == null) {
                throw new MappingException("property " + owner.getSimpleName() + "." + segment.getSegment()
                        + " (in " + path.toDotPath() + ") is not part of the payload: Jackson does not write it");
            }
            if (first == null) {
                first = key;
            } else {
                steps.add(new JsonPath.Key(key));
            }
            if (segment.hasNext() && segment.isCollection()) {
                steps.add(new JsonPath.Wildcard());
            }
        }
        return new JsonPath(first, steps);
    }
}
