package io.hearth.installer.config;

import java.nio.file.Path;
import java.util.Map;

/**
 * Everything configuration is read from, lowest precedence last: the {@code --data-dir} option,
 * {@code -D} system properties, {@code HEARTH_*} environment variables, then the YAML file
 * ({@code --config FILE}, else {@code <data-dir>/hearth.yml} when present), then built-in defaults.
 *
 * @param dataDirOption the {@code --data-dir} option, or null
 * @param configFileOption the {@code --config} option, or null
 */
public record ConfigSources(Path dataDirOption, Path configFileOption, Map<String, String> environment,
                            Map<String, String> systemProperties) {

    public ConfigSources {
        environment = Map.copyOf(environment);
        systemProperties = Map.copyOf(systemProperties);
    }

    /** The sources of this process. */
    public static ConfigSources ofProcess(Path dataDirOption, Path configFileOption) {
        Map<String, String> properties = new java.util.HashMap<>();
        System.getProperties().forEach((k, v) -> properties.put(k.toString(), v.toString()));
        return new ConfigSources(dataDirOption, configFileOption, System.getenv(), properties);
    }
}
