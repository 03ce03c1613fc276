package io.rustbucket.core.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.rustbucket.core.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Loads a TOML file, applies environment overrides and command-line {@code --set key=value} values on top, and
 * binds the result to a validated record. Unknown keys, wrong types and invalid values all become one
 * {@link ConfigException} line naming where the value came from (file, variable or flag).
 */
public final class ConfigLoader {
    /** One documented environment variable and the dotted TOML key it overrides. */
    public record EnvOverride(String variable, String key) {}

    private static final TomlMapper TOML = Json.configure(TomlMapper.builder())
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(com.fasterxml.jackson.databind.MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .build();

    private ConfigLoader() {}

    /**
     * Loads the configuration.
     *
     * @param file the TOML file; empty means built-in defaults only
     * @param env the process environment (injected so tests control it)
     * @param overrides the environment variables this configuration honours
     * @param sets command-line values by dotted key, applied last
     * @throws ConfigException when the file is unreadable or any value is invalid
     */
    public static <T> T load(
            Class<T> type,
            Optional<Path> file,
            Map<String, String> env,
            List<EnvOverride> overrides,
            Map<String, String> sets) {
        String fileName = file.map(Path::toString).orElse("defaults");
        ObjectNode tree = file.map(ConfigLoader::readToml).orElseGet(JsonNodeFactory.instance::objectNode);
        Map<String, String> origins = new HashMap<>();
        for (EnvOverride o : overrides) {
            String value = env.get(o.variable());
            if (value != null && !value.isBlank()) {
                put(tree, o.key(), value);
                origins.put(o.key(), "environment " + o.variable());
            }
        }
        sets.forEach((key, value) -> {
            put(tree, key, value);
            origins.put(key, "command line");
        });
        try {
            return TOML.treeToValue(tree, type);
        } catch (JsonProcessingException e) {
            throw translate(e, fileName, origins);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("", fileName + ": " + e.getMessage());
        }
    }

    /** Reads one TOML file into a tree, or fails with the file name, line and column. */
    public static ObjectNode readToml(Path file) {
        try {
            JsonNode node = TOML.readTree(Files.readString(file));
            return node instanceof ObjectNode object ? object : JsonNodeFactory.instance.objectNode();
        } catch (NoSuchFileException e) {
            throw new ConfigException("", "cannot read configuration file " + file + ": no such file");
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
            throw new ConfigException("", file + where + ": not valid TOML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigException("", "cannot read configuration file " + file + ": " + e.getMessage());
        }
    }

    private static void put(ObjectNode root, String dottedKey, String value) {
        String[] parts = dottedKey.split("\\.");
        ObjectNode node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = node.get(parts[i]);
            if (!(child instanceof ObjectNode)) {
                child = node.putObject(parts[i]);
            }
            node = (ObjectNode) child;
        }
        node.put(parts[parts.length - 1], value);
    }

    private static ConfigException translate(JsonProcessingException e, String fileName, Map<String, String> origins) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConfigException ce) {
                return ce.from(origins.getOrDefault(ce.key(), fileName));
            }
        }
        String key = e instanceof JsonMappingException jme ? path(jme) : "";
        String source = origins.getOrDefault(key, fileName);
        if (e instanceof UnrecognizedPropertyException u) {
            String allowed = u.getKnownPropertyIds().stream()
                    .map(Objects::toString)
                    .collect(Collectors.toCollection(TreeSet::new))
                    .stream()
                    .collect(Collectors.joining(", "));
            return new ConfigException(key, source + ": unknown key '" + key + "' (allowed here: " + allowed + ")");
        }
        if (e instanceof InvalidFormatException f) {
            return new ConfigException(
                    key,
                    source + ": " + key + " = " + quote(f.getValue()) + ": expected " + describe(f.getTargetType()));
        }
        if (e instanceof MismatchedInputException m && !(e instanceof ValueInstantiationException)) {
            return new ConfigException(
                    key, source + ": " + key + ": expected " + describe(m.getTargetType()) + " here");
        }
        return new ConfigException(key, source + ": " + key + ": " + e.getOriginalMessage());
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
    }

    private static String quote(Object value) {
        return value instanceof String s ? '"' + s + '"' : String.valueOf(value);
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "a different type";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == Double.class || type == double.class) {
            return "a number";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type.isEnum()) {
            return "one of "
                    + java.util.Arrays.stream(type.getEnumConstants())
                            .map(c -> c.toString().toLowerCase(java.util.Locale.ROOT))
                            .collect(Collectors.joining(", "));
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        return "a table";
    }
}
