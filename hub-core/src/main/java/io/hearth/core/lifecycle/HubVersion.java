package io.hearth.core.lifecycle;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of this build of Hearth. */
public final class HubVersion {

    private HubVersion() {
    }

    public static String current() {
        try (InputStream in = HubVersion.class.getResourceAsStream("/io/hearth/core/version.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
