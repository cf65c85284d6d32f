package io.hearth.installer.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.hearth.core.config.HearthConfig;
import io.hearth.core.config.InvalidConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads the hub's configuration from its {@link ConfigSources} and checks it whole before anything
 * starts. The built-in defaults define which keys exist: a key they do not have is refused, naming
 * it, rather than silently ignored.
 */
public final class ConfigLoader {

    private static final String ROOT = "hearth";
    /**
     * Set by the development launcher while it records a class-data archive: the file the hub
     * creates once it is ready, so an archive of a hub stopped half-way is not kept.
     */
    public static final String READY_FILE_VARIABLE = "HEARTH_READY_FILE";
    /** Environment variables the launchers use themselves; they are not configuration keys. */
    private static final Set<String> LAUNCHER_VARIABLES = Set.of("HEARTH_JAVA_OPTS", "HEARTH_HOME", READY_FILE_VARIABLE);
    /** The build's switch for tests that need OS tools; not a hub setting. */
    private static final Set<String> BUILD_PROPERTIES = Set.of("hearth.e2e.required");

    private final YAMLMapper mapper;

    public ConfigLoader() {
        SimpleModule paths = new SimpleModule("paths")
                .addSerializer(Path.class, ToStringSerializer.instance)
                .addDeserializer(Path.class, new PathDeserializer());
        mapper = YAMLMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .addModule(paths)
                .build();
    }

    public HearthConfig load(ConfigSources sources) throws ConfigException {
        ObjectNode defaults = JsonNodeFactory.instance.objectNode();
        defaults.set(ROOT, mapper.valueToTree(HearthConfig.defaults()));
        Map<String, JsonNode> keys = new LinkedHashMap<>();
        collectKeys(defaults, "", keys);

        Map<String, Setting> overrides = new LinkedHashMap<>();
        readEnvironment(sources.environment(), keys, overrides);
        readSystemProperties(sources.systemProperties(), keys, overrides);
        if (sources.dataDirOption() != null) {
            overrides.put("hearth.data-dir", new Setting(TextNode.valueOf(sources.dataDirOption().toString()),
                    "--data-dir"));
        }

        ObjectNode tree = defaults.deepCopy();
        Map<String, String> origins = new HashMap<>();
        Path file = configFile(sources, overrides);
        if (file != null) {
            mergeFile(tree, readFile(file), file, origins, sources.configFileOption() == null);
        }
        for (Map.Entry<String, Setting> override : overrides.entrySet()) {
            put(tree, override.getKey(), override.getValue().value());
            origins.put(override.getKey(), override.getValue().origin());
        }
        return bind(tree, origins);
    }

    /** Every settable key with its default, e.g. {@code hearth.mqtt.port -> 1883}. Lists are single keys. */
    private static void collectKeys(JsonNode node, String prefix, Map<String, JsonNode> keys) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                collectKeys(field.getValue(), prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey(), keys);
            }
        } else {
            keys.put(prefix, node);
        }
    }

    static String environmentName(String key) {
        return key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private void readEnvironment(Map<String, String> environment, Map<String, JsonNode> keys,
                                 Map<String, Setting> overrides) throws ConfigException {
        Map<String, String> keyByVariable = keys.keySet().stream()
                .collect(Collectors.toMap(ConfigLoader::environmentName, k -> k));
        for (Map.Entry<String, String> variable : new java.util.TreeMap<>(environment).entrySet()) {
            String name = variable.getKey();
            if (!name.startsWith("HEARTH_") || LAUNCHER_VARIABLES.contains(name)) {
                continue;
            }
            String key = keyByVariable.get(name);
            if (key == null) {
                throw new ConfigException(name, "is not a Hearth setting" + suggestion(name, keyByVariable.keySet()),
                        "the environment");
            }
            overrides.put(key, new Setting(parseValue(key, variable.getValue(), keys.get(key), name), name));
        }
    }

    private void readSystemProperties(Map<String, String> properties, Map<String, JsonNode> keys,
                                      Map<String, Setting> overrides) throws ConfigException {
        for (Map.Entry<String, String> property : new java.util.TreeMap<>(properties).entrySet()) {
            String key = property.getKey();
            if (!key.startsWith(ROOT + ".") || BUILD_PROPERTIES.contains(key)) {
                continue;
            }
            if (!keys.containsKey(key)) {
                throw new ConfigException(key, "is not a Hearth setting" + suggestion(key, keys.keySet()),
                        "-D" + key);
            }
            overrides.put(key, new Setting(parseValue(key, property.getValue(), keys.get(key), "-D" + key),
                    "-D" + key));
        }
    }

    /** Lists (ACL rules, gateways) are written as YAML flow sequences; everything else is taken as text. */
    private JsonNode parseValue(String key, String text, JsonNode defaultValue, String origin) throws ConfigException {
        if (!defaultValue.isArray()) {
            return TextNode.valueOf(text);
        }
        try {
            JsonNode parsed = mapper.readTree(text);
            if (parsed == null || parsed.isMissingNode() || parsed.isNull()) {
                return JsonNodeFactory.instance.arrayNode();
            }
            if (!parsed.isArray()) {
                throw new ConfigException(key, "must be a list, e.g. [{...}, {...}]", origin);
            }
            return parsed;
        } catch (JsonProcessingException e) {
            throw new ConfigException(key, "is not a readable list: " + e.getOriginalMessage(), origin);
        }
    }

    private Path configFile(ConfigSources sources, Map<String, Setting> overrides) throws ConfigException {
        if (sources.configFileOption() != null) {
            Path file = sources.configFileOption();
            if (!Files.isRegularFile(file)) {
                throw new ConfigException("--config", "the file " + file.toAbsolutePath() + " does not exist", null);
            }
            return file;
        }
        Setting dataDir = overrides.get("hearth.data-dir");
        Path dir = dataDir == null ? HearthConfig.defaults().dataDir() : Path.of(dataDir.value().asText());
        Path file = dir.resolve("hearth.yml");
        return Files.isRegularFile(file) ? file : null;
    }

    private JsonNode readFile(Path file) throws ConfigException {
        try {
            JsonNode root = mapper.readTree(file.toFile());
            if (root == null || root.isMissingNode() || root.isNull()) {
                return JsonNodeFactory.instance.objectNode();
            }
            if (!root.isObject()) {
                throw new ConfigException(file.toString(), "must be a YAML mapping starting with 'hearth:'", null);
            }
            return root;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
            throw new ConfigException(file.toString(), "is not valid YAML" + where + ": " + e.getOriginalMessage(), null);
        } catch (IOException e) {
            throw new ConfigException(file.toString(), "cannot be read: " + e.getMessage(), null);
        }
    }

    private static void mergeFile(ObjectNode tree, JsonNode file, Path path, Map<String, String> origins,
                                  boolean insideDataDir) throws ConfigException {
        for (Map.Entry<String, JsonNode> field : file.properties()) {
            if (!field.getKey().equals(ROOT)) {
                throw new ConfigException(field.getKey(), "is not a Hearth setting; all settings go under 'hearth:'",
                        path.toString());
            }
        }
        JsonNode hearth = file.get(ROOT);
        if (hearth == null || hearth.isNull()) {
            return;
        }
        if (insideDataDir && hearth.has("data-dir")) {
            throw new ConfigException("hearth.data-dir", "cannot be set in the data directory's own hearth.yml; "
                    + "use --data-dir or HEARTH_DATA_DIR", path.toString());
        }
        merge((ObjectNode) tree.get(ROOT), hearth, ROOT, path.toString(), origins);
    }

    private static void merge(ObjectNode target, JsonNode source, String prefix, String origin,
                              Map<String, String> origins) throws ConfigException {
        if (!source.isObject()) {
            throw new ConfigException(prefix, "must be a mapping of settings, not a single value", origin);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = source.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String key = prefix + "." + field.getKey();
            JsonNode current = target.get(field.getKey());
            if (current == null) {
                throw new ConfigException(key, "is not a Hearth setting"
                        + suggestion(field.getKey(), iterable(target.fieldNames())), origin);
            }
            JsonNode value = field.getValue();
            if (current.isObject()) {
                // A section whose settings are all commented out reads as null: keep its defaults.
                if (!value.isNull()) {
                    merge((ObjectNode) current, value, key, origin, origins);
                }
            } else {
                target.set(field.getKey(), value.isNull() && current.isArray()
                        ? JsonNodeFactory.instance.arrayNode() : value);
                origins.put(key, origin);
            }
        }
    }

    private static void put(ObjectNode tree, String key, JsonNode value) {
        String[] parts = key.split("\\.");
        ObjectNode node = tree;
        for (int i = 0; i < parts.length - 1; i++) {
            node = (ObjectNode) node.get(parts[i]);
        }
        node.set(parts[parts.length - 1], value);
    }

    private HearthConfig bind(ObjectNode tree, Map<String, String> origins) throws ConfigException {
        try {
            return mapper.treeToValue(tree.get(ROOT), HearthConfig.class);
        } catch (ValueInstantiationException e) {
            if (e.getCause() instanceof InvalidConfigException invalid) {
                String key = join(keyOf(e), invalid.key());
                throw new ConfigException(key, invalid.problem(), originOf(key, origins));
            }
            throw new ConfigException(keyOf(e), rootMessage(e), originOf(keyOf(e), origins));
        } catch (UnrecognizedPropertyException e) {
            String key = keyOf(e);
            throw new ConfigException(key, "is not a Hearth setting"
                    + suggestion(e.getPropertyName(), e.getKnownPropertyIds().stream().map(Object::toString).toList()),
                    originOf(key, origins));
        } catch (InvalidFormatException e) {
            String key = keyOf(e);
            throw new ConfigException(key, "\"" + e.getValue() + "\" " + expected(e.getTargetType()),
                    originOf(key, origins));
        } catch (MismatchedInputException e) {
            String key = keyOf(e);
            throw new ConfigException(key, "must have a value that " + expected(e.getTargetType()).replace("is not ", "is "),
                    originOf(key, origins));
        } catch (JsonMappingException e) {
            throw new ConfigException(keyOf(e), rootMessage(e), originOf(keyOf(e), origins));
        } catch (StreamReadException e) {
            // A value the parser itself rejects, such as a number too large for its key.
            String key = e.getProcessor() == null ? ROOT : keyOf(e.getProcessor().getParsingContext());
            throw new ConfigException(key, "is out of range: " + e.getOriginalMessage(), originOf(key, origins));
        } catch (JsonProcessingException e) {
            throw new ConfigException(ROOT, rootMessage(e), null);
        }
    }

    private static String keyOf(com.fasterxml.jackson.core.JsonStreamContext context) {
        List<String> parts = new java.util.ArrayList<>();
        for (var level = context; level != null && !level.inRoot(); level = level.getParent()) {
            parts.add(0, level.inArray() ? "[" + level.getCurrentIndex() + "]" : "." + level.getCurrentName());
        }
        return ROOT + String.join("", parts);
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "is not valid here";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "is not a whole number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "is not true or false";
        }
        if (type.isEnum()) {
            return "is not one of " + Arrays.stream(type.getEnumConstants())
                    .map(c -> enumName((Enum<?>) c)).collect(Collectors.joining(", "));
        }
        return "is not a valid " + type.getSimpleName();
    }

    private static String enumName(Enum<?> constant) {
        try {
            var annotation = constant.getDeclaringClass().getField(constant.name())
                    .getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
            return annotation == null ? constant.name() : annotation.value();
        } catch (NoSuchFieldException e) {
            return constant.name();
        }
    }

    /** The full key of the place a binding error points at, e.g. {@code hearth.mqtt.acl[0].effect}. */
    private static String keyOf(JsonMappingException e) {
        StringBuilder key = new StringBuilder(ROOT);
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                key.append('.').append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                key.append('[').append(ref.getIndex()).append(']');
            }
        }
        return key.toString();
    }

    private static String join(String prefix, String relative) {
        return relative.startsWith("[") ? prefix + relative : prefix + "." + relative;
    }

    /** Where the value at {@code key} (or the list holding it) came from; null for a default. */
    private static String originOf(String key, Map<String, String> origins) {
        for (String candidate = key; ; ) {
            String origin = origins.get(candidate);
            if (origin != null) {
                return origin;
            }
            int cut = Math.max(candidate.lastIndexOf('.'), candidate.lastIndexOf('['));
            if (cut < 0) {
                return null;
            }
            candidate = candidate.substring(0, cut);
        }
    }

    private static String suggestion(String wrong, Iterable<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int distance = editDistance(wrong.toLowerCase(java.util.Locale.ROOT),
                    candidate.toLowerCase(java.util.Locale.ROOT));
            if (distance < bestDistance) {
                bestDistance = distance;
                best = candidate;
            }
        }
        return best != null && bestDistance <= Math.max(2, wrong.length() / 4) ? "; did you mean " + best + "?" : "";
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static Iterable<String> iterable(Iterator<String> names) {
        return () -> names;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : root.getMessage();
    }

    private record Setting(JsonNode value, String origin) {
    }

    private static final class PathDeserializer extends StdDeserializer<Path> {

        PathDeserializer() {
            super(Path.class);
        }

        @Override
        public Path deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String text = parser.getValueAsString();
            if (text == null || text.isBlank()) {
                return (Path) context.handleWeirdStringValue(Path.class, String.valueOf(text), "must be a path");
            }
            return Path.of(text);
        }
    }
}
