package io.hearth.web.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.core.auth.Role;
import io.hearth.core.testing.FreePorts;
import io.hearth.shadow.RunningShadows;
import io.hearth.web.auth.IdentityStore;
import io.hearth.web.testing.TestHubs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The owner's view of a cloud link that cannot reach its cloud, in a real browser: where the link
 * goes, that it is not connected, what went wrong, what waits to be sent, and the hub's health.
 */
class CloudSettingsTest {

    private static RunningShadows hub;
    private static Browser browser;
    private static String upstream;

    @BeforeAll
    static void start() throws Exception {
        Browser.requireChromium();
        upstream = "tcp://127.0.0.1:" + FreePorts.next();
        hub = TestHubs.withoutZigbee(config -> TestHubs.withCloud(config, upstream, "test-home"));
        hub.bean(IdentityStore.class).addUser("robin", Role.OWNER, "hearth-owner-1".toCharArray());
        browser = Browser.open(hub.httpPort);
    }

    @AfterAll
    static void stop() {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            if (hub != null) {
                hub.close();
            }
        }
    }

    @Test
    void theSettingsShowTheCloudLinksAddressConditionLastProblemAndQueueAndTheHubsHealth() throws Exception {
        browser.go("/");
        browser.type("#username", "robin");
        browser.type("#password", "hearth-owner-1");
        browser.find("login-view button[type=submit]").click();
        browser.sees("Your home");
        browser.go("/#/settings");
        browser.sees("Cloud link");
        String cloud = browser.until(() -> {
            String text = browser.find("cloud-status").getText();
            return text.contains("Last problem") && !text.contains("Last problem\nnone") ? text : null;
        }, "the cloud link's last problem");
        assertThat(cloud).contains(upstream).contains("test-home").contains("Connected").contains("Changes waiting to be sent");
        assertThat(cloud).doesNotContain("Exception").doesNotContain("Connected\nyes");

        String health = browser.find("hub-health table").getText();
        assertThat(health).contains("zigbee").contains("turned off");
        assertThat(browser.find("hub-health").getText()).contains("The hub is");
        browser.script("arguments[0].scrollIntoView()", browser.find("cloud-status"));
        browser.screenshot("settings-cloud");
    }
}
