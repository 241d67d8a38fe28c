package dev.qdrantedge.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.BeanWrapperImpl;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ByteArrayResource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The README's configuration reference is the code's: every property is documented, every documented property
 * exists, each documented default is the real default, and the example {@code application.yml} starts.
 */
class ConfigurationReferenceTest {

    private static final Path README = Path.of("..", "README.md");
    private static final Pattern ROW = Pattern.compile("(?m)^\\| `(qdrant\\.edge\\.[^`]+)` \\| ([^|]+) \\|");
    private static final Pattern LITERAL = Pattern.compile("`([^`]+)`");
    private static final String MAP_KEY = "<name>";

    /** The rows of the configuration section: property to default cell. */
    private static Map<String, String> documented() throws IOException {
        Map<String, String> rows = new LinkedHashMap<>();
        Matcher m = ROW.matcher(configurationSection());
        while (m.find()) {
            rows.put(m.group(1), m.group(2).trim());
        }
        assertThat(rows).as("rows of the configuration tables").isNotEmpty();
        return rows;
    }

    private static String configurationSection() throws IOException {
        String readme = Files.readString(README);
        int start = readme.indexOf("\n## Configuration\n");
        assertThat(start).as("README has a Configuration section").isNotNegative();
        int end = readme.indexOf("\n## ", start + 1);
        return readme.substring(start, end < 0 ? readme.length() : end);
    }

    /** Property names of the generated configuration metadata. */
    private static Set<String> metadata() throws IOException {
        try (InputStream in = ConfigurationReferenceTest.class.getResourceAsStream(
                "/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("generated configuration metadata").isNotNull();
            Set<String> names = new TreeSet<>();
            for (JsonNode property : JsonMapper.builder().build().readTree(in).path("properties")) {
                String name = property.path("name").asString();
                if (name.startsWith(EdgeProperties.PREFIX + ".")) {
                    names.add(name);
                }
            }
            return names;
        }
    }

    @Test
    void everyPropertyIsDocumented() throws IOException {
        Set<String> rows = documented().keySet();
        for (String name : metadata()) {
            boolean documented = rows.contains(name) || rows.stream().anyMatch(r -> r.startsWith(name + "." + MAP_KEY + "."));
            assertThat(documented).as("README documents " + name).isTrue();
        }
    }

    @Test
    void everyDocumentedPropertyExistsWithItsDocumentedDefault() throws IOException {
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, String> row : documented().entrySet()) {
            String name = row.getKey();
            String cell = row.getValue();
            Object expected = defaultOf(name);
            Matcher literal = LITERAL.matcher(cell);
            if (cell.startsWith("required")) {
                continue;
            }
            if (cell.startsWith("unset")) {
                if (expected != null) {
                    wrong.add(name + ": documented unset, is " + expected);
                }
            } else if (literal.lookingAt()) {
                Object bound = readBack(name, literal.group(1));
                if (!bound.equals(expected)) {
                    wrong.add(name + ": documented " + literal.group(1) + " (" + bound + "), is " + expected);
                }
            } else {
                wrong.add(name + ": default cell '" + cell + "' is neither a `literal`, unset nor required");
            }
        }
        assertThat(wrong).isEmpty();
    }

    /** Binds {@code value} to {@code name} in fresh properties and reads it back. */
    private static Object readBack(String name, String value) {
        String bound = name.replace(MAP_KEY, "x");
        EdgeProperties properties = new EdgeProperties();
        new Binder(new MapConfigurationPropertySource(Map.of(bound, value)))
                .bind(EdgeProperties.PREFIX, Bindable.ofInstance(properties));
        return new BeanWrapperImpl(properties).getPropertyValue(beanPath(bound.substring(EdgeProperties.PREFIX.length() + 1)));
    }

    /** The value a property has when nothing sets it; fails for a property that does not exist. */
    private static Object defaultOf(String name) {
        String relative = name.substring(EdgeProperties.PREFIX.length() + 1);
        Object holder = new EdgeProperties();
        if (relative.startsWith("vectors." + MAP_KEY + ".")) {
            holder = new EdgeProperties.Vector();
            relative = relative.substring(("vectors." + MAP_KEY + ".").length());
        } else if (relative.startsWith("sparse-vectors." + MAP_KEY + ".")) {
            holder = new EdgeProperties.SparseVector();
            relative = relative.substring(("sparse-vectors." + MAP_KEY + ".").length());
        }
        BeanWrapperImpl wrapper = new BeanWrapperImpl(holder);
        String path = beanPath(relative);
        assertThat(wrapper.isReadableProperty(path)).as(name + " is a property").isTrue();
        return wrapper.getPropertyValue(path);
    }

    /** {@code vectors.x.hnsw.ef-construct} as a bean path: {@code vectors[x].hnsw.efConstruct}. */
    private static String beanPath(String dashed) {
        String path = dashed.replaceFirst("^(vectors|sparse-vectors)\\.x\\.", "$1[x].");
        StringBuilder camel = new StringBuilder();
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '-' && i + 1 < path.length()) {
                camel.append(Character.toUpperCase(path.charAt(++i)));
            } else {
                camel.append(c);
            }
        }
        return camel.toString();
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(EdgeProperties.class)
    static class PropertiesOnly {
    }

    @Test
    void theExampleApplicationYmlIsValid() throws IOException {
        String section = configurationSection();
        int start = section.indexOf("```yaml\n");
        assertThat(start).as("the section has an example application.yml").isNotNegative();
        String yaml = section.substring(start + 8, section.indexOf("```", start + 8));
        List<PropertySource<?>> sources = new YamlPropertySourceLoader().load("README example",
                new ByteArrayResource(yaml.getBytes(StandardCharsets.UTF_8)));
        new ApplicationContextRunner().withUserConfiguration(PropertiesOnly.class)
                .withPropertyValues("QDRANT_API_KEY=k")
                .withInitializer(context -> sources.forEach(s -> context.getEnvironment().getPropertySources().addFirst(s)))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    EdgeProperties properties = context.getBean(EdgeProperties.class);
                    assertThat(properties.getVectors()).isNotEmpty();
                    assertThat(properties.edgeConfig().vectors()).containsKeys("text", "colbert");
                    assertThat(properties.getServer().hasAddress()).isTrue();
                });
    }
}
