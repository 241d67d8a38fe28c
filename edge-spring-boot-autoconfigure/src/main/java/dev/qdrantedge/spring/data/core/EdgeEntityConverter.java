package dev.qdrantedge.spring.data.core;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import dev.qdrantedge.engine.filter.FilterParser;
import dev.qdrantedge.engine.filter.JsonPath;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.operation.PointStruct;
import dev.qdrantedge.engine.search.WithVector;
import dev.qdrantedge.engine.vectors.VectorValue;
import dev.qdrantedge.spring.data.mapping.EdgeMappingContext;
import dev.qdrantedge.spring.data.mapping.EdgePersistentEntity;
import dev.qdrantedge.spring.data.mapping.EdgePersistentProperty;
import dev.qdrantedge.spring.data.mapping.IdType;
import dev.qdrantedge.spring.data.mapping.VectorType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.data.annotation.Transient;
import org.springframework.data.core.PropertyPath;
import org.springframework.data.domain.Vector;
import org.springframework.data.mapping.MappingException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.AnnotationIntrospector;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.cfg.MapperConfig;
import tools.jackson.databind.introspect.AnnotatedMember;
import tools.jackson.databind.introspect.AnnotationIntrospectorPair;
import tools.jackson.databind.introspect.NopAnnotationIntrospector;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Converts entities to points and back.
 * <ul>
 *   <li>The {@code @Id} property is the point id: {@code Long}/{@code long} (not negative), {@link UUID}, or a
 *       {@code String} holding a UUID.</li>
 *   <li>Properties annotated with {@link dev.qdrantedge.spring.data.mapping.EdgeVector} are the point's
 *       vectors.</li>
 *   <li>Every other field is the payload, as Jackson writes it with this converter's {@link JsonMapper}: fields
 *       of any visibility (not getters), Jackson annotations honoured, {@code transient} fields and fields
 *       annotated with Spring Data's {@link Transient} left out, Java time values as ISO-8601 strings (which
 *       Qdrant's datetime ranges read), unknown payload keys ignored when reading.</li>
 * </ul>
 * Reading fills the id, the payload fields, and the vector properties for which the point holds a vector.
 */
public class EdgeEntityConverter {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final EdgeMappingContext mappingContext;
    private final JsonMapper mapper;
    private final PayloadKeys keys;
    private final Map<Class<?>, EntityLayout> layouts = new ConcurrentHashMap<>();

    /** A converter with its own mapping context and the default Jackson configuration. */
    public EdgeEntityConverter() {
        this(new EdgeMappingContext());
    }

    public EdgeEntityConverter(EdgeMappingContext mappingContext) {
        this(mappingContext, JsonMapper.builder().build());
    }

    /**
     * A converter on {@code mapper}'s configuration, with the settings above applied on top (visibility, time
     * values, unknown keys, Spring Data's {@code @Transient}, Spring Data's {@link Vector} as a JSON array).
     */
    public EdgeEntityConverter(EdgeMappingContext mappingContext, JsonMapper mapper) {
        this.mappingContext = mappingContext;
        this.mapper = configure(mapper);
        this.keys = new PayloadKeys(this.mapper);
    }

    private static JsonMapper configure(JsonMapper mapper) {
        JsonMapper.Builder builder = mapper.rebuild();
        AnnotationIntrospector existing = builder.annotationIntrospector();
        SimpleModule vectors = new SimpleModule("edge-spring-data-vectors");
        vectors.addSerializer(Vector.class, new VectorSerializer());
        vectors.addDeserializer(Vector.class, new VectorDeserializer());
        return builder
                .changeDefaultVisibility(v -> v.withVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
                        .withVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
                        .withVisibility(PropertyAccessor.CREATOR, JsonAutoDetect.Visibility.ANY))
                .annotationIntrospector(existing == null ? new TransientIntrospector()
                        : AnnotationIntrospectorPair.create(new TransientIntrospector(), existing))
                .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DateTimeFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .addModule(vectors)
                .build();
    }

    public EdgeMappingContext getMappingContext() {
        return mappingContext;
    }

    /** The Jackson mapper that writes and reads payloads. */
    public JsonMapper getJsonMapper() {
        return mapper;
    }

    /**
     * The metadata of an entity class stored as points.
     *
     * @throws MappingException when the class cannot be stored as points (no or a wrong id, a wrong vector
     *     property, an id or vector property Jackson does not see)
     */
    public EdgePersistentEntity<?> getRequiredEntity(Class<?> type) {
        return layout(type).entity;
    }

    // -----------------------------------------------------------------------------------------------
    // writing

    /**
     * The point for an entity whose id is set.
     *
     * @throws IllegalArgumentException when the id is {@code null} or not a valid point id
     * @throws EdgeConversionException when Jackson cannot write the entity
     */
    public PointStruct write(Object entity) {
        EntityLayout layout = layout(entity.getClass());
        Object id = layout.entity.getIdentifierAccessor(entity).getIdentifier();
        if (id == null) {
            throw new IllegalArgumentException(layout.idProperty.describe() + " is null; set the id before writing");
        }
        PointId pointId = toPointId(id, layout);
        JsonNode json;
        try {
            json = mapper.valueToTree(entity);
        } catch (JacksonException e) {
            throw new EdgeConversionException("cannot write " + layout.name() + " " + id + " as a payload: "
                    + e.getOriginalMessage(), e);
        }
        if (!json.isObject()) {
            throw new EdgeConversionException("cannot write " + layout.name() + " " + id + " as a payload: Jackson "
                    + "writes it as a JSON " + json.getNodeType() + ", not an object");
        }
        ObjectNode payload = (ObjectNode) json;
        payload.remove(layout.idKey);
        Map<String, VectorValue> vectors = new LinkedHashMap<>();
        for (VectorField field : layout.vectors) {
            JsonNode value = payload.remove(field.key);
            if (value != null && !value.isNull()) {
                vectors.put(field.vectorName, VectorValues.fromJson(value, field.type, field.property.describe()));
            }
        }
        return new PointStruct(pointId, vectors, Optional.of(payload));
    }

    /**
     * The point id of an id value of an entity class.
     *
     * @throws IllegalArgumentException when {@code id} is not a valid id of the class (a negative number, a
     *     String that is no UUID, a value of another type)
     */
    public PointId toPointId(Object id, Class<?> entityType) {
        return toPointId(id, layout(entityType));
    }

    private static PointId toPointId(Object id, EntityLayout layout) {
        switch (layout.idType) {
            case LONG:
                if (id instanceof Long number) {
                    if (number < 0) {
                        throw new IllegalArgumentException(layout.idProperty.describe() + " is " + number
                                + ": point ids are unsigned, a Long id must not be negative");
                    }
                    return PointId.of(number);
                }
                break;
            case UUID:
                if (id instanceof UUID uuid) {
                    return PointId.of(uuid);
                }
                break;
            default:
                if (id instanceof String text) {
                    UUID uuid = FilterParser.uuid(text);
                    if (uuid == null) {
                        throw new IllegalArgumentException(layout.idProperty.describe() + " is '" + text
                                + "': a String point id must hold a UUID");
                    }
                    return PointId.of(uuid);
                }
                break;
        }
        throw new IllegalArgumentException("an id of " + layout.name() + " must be a "
                + layout.idProperty.getType().getSimpleName() + ", was "
                + (id == null ? "null" : id.getClass().getName()));
    }

    /** A new id for an entity whose id is {@code null}: a random UUID; numeric ids are never generated. */
    Object generateId(Class<?> entityType) {
        EntityLayout layout = layout(entityType);
        switch (layout.idType) {
            case UUID:
                return UUID.randomUUID();
            case UUID_STRING:
                return UUID.randomUUID().toString();
            default:
                throw new IllegalArgumentException(layout.idProperty.describe()
                        + " is null: a numeric id must be set before saving (only UUID ids are generated)");
        }
    }

    // -----------------------------------------------------------------------------------------------
    // reading

    /**
     * The entity of a point.
     *
     * @param payload the point's payload ({@code null}: none)
     * @param vectors the point's vectors by name ({@code null}: none)
     * @throws EdgeConversionException when the id, a vector or the payload does not fit the class
     */
    public <T> T read(Class<T> type, PointId id, ObjectNode payload, Map<String, VectorValue> vectors) {
        EntityLayout layout = layout(type);
        ObjectNode json = NODES.objectNode();
        if (payload != null) {
            json.setAll(payload);
        }
        json.set(layout.idKey, idJson(id, layout));
        for (VectorField field : layout.vectors) {
            VectorValue value = vectors == null ? null : vectors.get(field.vectorName);
            if (value == null) {
                json.remove(field.key);
            } else {
                json.set(field.key, VectorValues.toJson(value, field.type, field.property.describe()));
            }
        }
        try {
            return mapper.treeToValue(json, type);
        } catch (JacksonException e) {
            throw new EdgeConversionException("point " + id + " cannot be read as " + layout.name() + ": "
                    + e.getOriginalMessage(), e);
        }
    }

    private static JsonNode idJson(PointId id, EntityLayout layout) {
        if (layout.idType == IdType.LONG) {
            if (id instanceof PointId.Num num && num.value() >= 0) {
                return NODES.numberNode(num.value());
            }
            throw new EdgeConversionException("point " + id + " cannot be read as " + layout.name() + ": "
                    + layout.idProperty.describe() + " is a Long, but the point id is "
                    + (id instanceof PointId.Num ? "beyond Long.MAX_VALUE" : "a UUID"));
        }
        if (id instanceof PointId.Uuid uuid) {
            return NODES.stringNode(uuid.uuid().toString());
        }
        throw new EdgeConversionException("point " + id + " cannot be read as " + layout.name() + ": "
                + layout.idProperty.describe() + " is a UUID, but the point id is a number");
    }

    /** The vectors to ask the engine for when reading {@code type}: the names of its vector properties. */
    public WithVector vectorSelection(Class<?> type) {
        EntityLayout layout = layout(type);
        if (layout.vectors.isEmpty()) {
            return WithVector.NONE;
        }
        List<String> names = new ArrayList<>();
        layout.vectors.forEach(field -> names.add(field.vectorName));
        return WithVector.names(names);
    }

    // -----------------------------------------------------------------------------------------------
    // queries

    /**
     * The payload path of a property path of an entity: the JSON names Jackson gives the properties, with
     * {@code []} after each collection on the way.
     *
     * @throws MappingException when a property on the way is not written to the payload
     */
    public JsonPath payloadPath(PropertyPath path) {
        return keys.path(path);
    }

    /** A value as Jackson writes it into the payload (for comparisons with payload values). */
    public JsonNode toJson(Object value) {
        return mapper.valueToTree(value);
    }

    // -----------------------------------------------------------------------------------------------
    // per-class layout

    private EntityLayout layout(Class<?> type) {
        EntityLayout layout = layouts.get(type);
        if (layout == null) {
            EdgePersistentEntity<?> entity;
            try {
                entity = mappingContext.getRequiredPersistentEntity(type);
            } catch (MappingException e) {
                // "Cannot create PersistentEntity for ..." wraps the message that names the property at fault.
                throw e.getCause() instanceof MappingException cause ? cause : e;
            }
            layout = new EntityLayout(entity);
            layouts.putIfAbsent(type, layout);
        }
        return layout;
    }

    private final class EntityLayout {
        final EdgePersistentEntity<?> entity;
        final EdgePersistentProperty idProperty;
        final IdType idType;
        final String idKey;
        final List<VectorField> vectors = new ArrayList<>();

        EntityLayout(EdgePersistentEntity<?> entity) {
            this.entity = entity;
            this.idType = entity.getIdType();
            this.idProperty = entity.getRequiredIdProperty();
            this.idKey = requiredKey(idProperty);
            for (EdgePersistentProperty property : entity.getVectorProperties()) {
                vectors.add(new VectorField(property, requiredKey(property), property.getVectorName(),
                        property.getVectorType()));
            }
        }

        private String requiredKey(EdgePersistentProperty property) {
            String key = keys.key(entity.getType(), property.getName());
            if (key == null) {
                throw new MappingException(property.describe() + " is ignored by Jackson; the id and the vector "
                        + "properties must be fields Jackson reads and writes");
            }
            return key;
        }

        String name() {
            return entity.getType().getSimpleName();
        }
    }

    private record VectorField(EdgePersistentProperty property, String key, String vectorName, VectorType type) {
    }

    // -----------------------------------------------------------------------------------------------
    // Jackson additions

    /** Treats Spring Data's {@link Transient} as {@code @JsonIgnore}. */
    private static final class TransientIntrospector extends NopAnnotationIntrospector {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean hasIgnoreMarker(MapperConfig<?> config, AnnotatedMember member) {
            return member.hasAnnotation(Transient.class);
        }
    }

    /** Spring Data's {@link Vector} as a JSON array of floats. */
    private static final class VectorSerializer extends ValueSerializer<Vector> {
        @Override
        public void serialize(Vector value, JsonGenerator generator, SerializationContext context) {
            generator.writeStartArray();
            for (float f : value.toFloatArray()) {
                generator.writeNumber(f);
            }
            generator.writeEndArray();
        }
    }

    /** A JSON array of numbers as Spring Data's {@link Vector}. */
    private static final class VectorDeserializer extends ValueDeserializer<Vector> {
        @Override
        public Vector deserialize(JsonParser parser, DeserializationContext context) {
            return Vector.unsafe(context.readValue(parser, float[].class));
        }
    }
}
