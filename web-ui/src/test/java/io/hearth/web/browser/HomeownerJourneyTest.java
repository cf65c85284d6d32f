package io.hearth.web.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.core.auth.Role;
import io.hearth.core.device.DeviceId;
import io.hearth.shadow.RunningShadows;
import io.hearth.shadow.device.DeviceService;
import io.hearth.web.auth.IdentityStore;
import io.hearth.web.emulator.DeviceEmulator;
import io.hearth.web.emulator.EmulatedDevice;
import io.hearth.web.emulator.EmulatedZigbeeBinding;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * A homeowner's first hour with a new hub, in a real browser against a running hub whose Zigbee
 * devices are emulated over MQTT. The steps build on each other, as they do for a real household:
 * the owner created in the first is the one who logs in, switches, pairs and adds a member later.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HomeownerJourneyTest {

    /** The budget for the first page load, in bytes transferred. */
    static final long FIRST_LOAD_BUDGET = 300 * 1024;
    private static final String OWNER = "robin";
    private static final String OWNER_PASSWORD = "hearth-owner-1";

    private static RunningShadows hub;
    private static DeviceEmulator network;
    private static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        Browser.requireChromium();
        System.setProperty(EmulatedZigbeeBinding.ENABLED, "true");
        hub = RunningShadows.start();
        network = DeviceEmulator.connect(hub.mqttPort);
        for (EmulatedDevice device : EmulatedDevice.HOME) {
            network.add(device);
        }
        // A few readings, so the climate sensor has a history to chart.
        for (String temperature : List.of("20.9", "21.3", "21.1", "21.6")) {
            network.report(EmulatedDevice.CLIMATE.id(), "{\"temperature\":" + temperature + "}");
        }
        EmulatedZigbeeBinding zigbee = hub.bean(EmulatedZigbeeBinding.class);
        zigbee.whenPairingOpens(binding -> CompletableFuture.runAsync(() -> {
            try {
                network.add(EmulatedDevice.NEW_BULB);
                binding.joined(DeviceId.of(EmulatedDevice.NEW_BULB.id()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, CompletableFuture.delayedExecutor(1500, TimeUnit.MILLISECONDS)));
        browser = Browser.open(hub.httpPort);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (browser != null) {
                browser.close();
            }
            if (network != null) {
                network.close();
            }
        } finally {
            if (hub != null) {
                hub.close();
            }
            System.clearProperty(EmulatedZigbeeBinding.ENABLED);
        }
    }

    @Test
    @Order(1)
    void onANewHubTheOwnerCreatesTheirAccountTypingThePasswordTwice() {
        browser.go("/");
        browser.sees("Welcome to Hearth");
        browser.type("#username", OWNER);
        browser.type("#password", OWNER_PASSWORD);
        browser.type("#password2", "something else");
        browser.find("login-view button[type=submit]").click();
        browser.sees("The two passwords are different");

        browser.type("#password2", OWNER_PASSWORD);
        browser.find("login-view button[type=submit]").click();
        browser.sees("Your home");
        assertThat(browser.find(".who").getText()).isEqualTo(OWNER);
    }

    @Test
    @Order(2)
    void theOwnerLogsOutAndBackInWithLabelledFields() {
        browser.find("button.logout").click();
        browser.sees("Log in");
        assertThat(browser.find("label[for=username]").getText()).isEqualTo("Name");
        assertThat(browser.find("label[for=password]").getText()).isEqualTo("Password");
        browser.type("#username", OWNER);
        browser.type("#password", "not the password");
        browser.find("login-view button[type=submit]").click();
        browser.sees("Wrong user name or password");

        browser.type("#password", OWNER_PASSWORD);
        browser.find("login-view button[type=submit]").click();
        browser.sees("Your home");
    }

    @Test
    @Order(3)
    void theDashboardListsTheHomesDevicesByRoomAndShowsWhichAreOffline() throws Exception {
        DeviceService devices = hub.bean(DeviceService.class);
        devices.rename(DeviceId.of(EmulatedDevice.LAMP.id()), null, "Living room").join();
        devices.rename(DeviceId.of(EmulatedDevice.PLUG.id()), null, "Kitchen").join();
        for (EmulatedDevice device : List.of(EmulatedDevice.CLIMATE, EmulatedDevice.DOOR, EmulatedDevice.MOTION)) {
            devices.rename(DeviceId.of(device.id()), null, "Hallway").join();
        }
        for (EmulatedDevice device : EmulatedDevice.HOME) {
            browser.sees(device.name());
        }
        browser.find("section.room[aria-label='Hallway'] device-card");
        browser.sees("Closed");
        network.offline(EmulatedDevice.MOTION.id());
        browser.sees("Offline · last seen");
        browser.screenshot("dashboard");
        browser.darkTheme(true);
        try {
            browser.screenshot("dashboard-dark");
        } finally {
            browser.darkTheme(false);
        }
        browser.driver.manage().window().setSize(new Dimension(390, 844));
        try {
            browser.screenshot("dashboard-phone");
        } finally {
            browser.driver.manage().window().setSize(new Dimension(1280, 960));
        }
    }

    @Test
    @Order(4)
    void flippingTheLampsSwitchByMouseOrKeyboardSwitchesTheLampAndTheSwitchFollows() {
        WebElement lamp = browser.find("button[role=switch][aria-label*='Living room lamp']");
        assertThat(lamp.getAttribute("aria-checked")).isEqualTo("false");
        lamp.click();
        browser.until(() -> "true".equals(browser.find("button[role=switch][aria-label*='Living room lamp']")
                .getAttribute("aria-checked")) ? Boolean.TRUE : null, "the lamp's switch to show on");
        DeviceService devices = hub.bean(DeviceService.class);
        assertThat(devices.find(DeviceId.of(EmulatedDevice.LAMP.id())).join().orElseThrow().reported().path("on").asBoolean())
                .isTrue();

        // The second time from the keyboard, as someone without a mouse would.
        browser.find("button[role=switch][aria-label*='Living room lamp']").sendKeys(Keys.SPACE);
        browser.until(() -> "false".equals(browser.find("button[role=switch][aria-label*='Living room lamp']")
                .getAttribute("aria-checked")) ? Boolean.TRUE : null, "the lamp's switch to show off again");
        assertThat(devices.find(DeviceId.of(EmulatedDevice.LAMP.id())).join().orElseThrow().reported().path("on").asBoolean())
                .isFalse();
    }

    @Test
    @Order(5)
    void theClimateSensorsPageChartsItsTemperature() throws Exception {
        browser.find("a[href='#/device/" + EmulatedDevice.CLIMATE.id() + "']").click();
        browser.sees("Temperature");
        browser.sees("21.6 °C");
        WebElement chart = browser.find("history-chart[key=temperature] .plot canvas");
        assertThat(chart.getSize().getWidth()).isGreaterThan(200);
        browser.find("history-chart[key=temperature] button[aria-pressed=false]").click();
        browser.find("history-chart[key=temperature] .plot canvas");
        assertThat(browser.driver.findElements(By.cssSelector(".error"))).as("error messages").isEmpty();
        browser.screenshot("device-page");
    }

    @Test
    @Order(6)
    void pairingAddsTheNewBulb() {
        browser.go("/#/pairing");
        browser.sees("What kind of device?");
        assertThat(browser.find("input[value=zigbee]").isSelected()).isTrue();
        browser.find("pairing-view button.primary").click();
        browser.sees("Pairing is open");
        browser.until(() -> browser.driver.findElements(By.cssSelector(".joined li")).stream()
                .anyMatch(li -> li.getText().contains("New bulb")) ? Boolean.TRUE : null, "New bulb among the joined");
        browser.find("nav a[href='#/']").click();
        browser.sees("New bulb");
        browser.find("button[role=switch][aria-label*='New bulb']");
        assertThat(browser.driver.findElements(By.cssSelector("main > *"))).as("pages shown").hasSize(1);
        assertThat(browser.driver.findElements(By.cssSelector(".error"))).as("error messages").isEmpty();
    }

    @Test
    @Order(7)
    void theOwnersSettingsShowPeopleHealthAndAnMqttPasswordOnlyOnce() throws Exception {
        browser.find("nav a[href='#/settings']").click();
        browser.sees("People");
        browser.sees(OWNER);
        browser.sees("Not set up");
        browser.sees("System health");
        browser.type("credential-settings input[name=thing]", "garden-sensor");
        browser.find("credential-settings button[type=submit]").click();
        String password = browser.find("credential-settings .secret code").getText();
        assertThat(password).hasSizeGreaterThanOrEqualTo(16);
        browser.sees("not shown again");
        assertThat(hub.bean(IdentityStore.class).credentials()).extracting(IdentityStore.Credential::thing)
                .contains("garden-sensor");
        browser.screenshot("settings");
        browser.driver.navigate().refresh();
        browser.sees("garden-sensor");
        assertThat(browser.driver.findElement(By.tagName("body")).getText()).doesNotContain(password);
    }

    @Test
    @Order(8)
    void aMemberCannotOpenTheSettings() throws Exception {
        hub.bean(IdentityStore.class).addUser("kim", Role.MEMBER, "member-password".toCharArray());
        browser.find("button.logout").click();
        browser.type("#username", "kim");
        browser.type("#password", "member-password");
        browser.find("login-view button[type=submit]").click();
        browser.sees("Your home");
        assertThat(browser.driver.findElements(By.cssSelector("nav a[href='#/settings']"))).isEmpty();
        browser.go("/#/settings");
        browser.sees("Only an owner of this home can open the settings");
        assertThat(browser.driver.findElements(By.cssSelector("user-settings"))).isEmpty();
    }

    @Test
    @Order(9)
    void theFirstLoadOfThePageStaysWithinItsBudget() throws Exception {
        browser.cacheDisabled(true);
        try {
            browser.go("/");
            browser.sees("Living room lamp");
            // Everything the dashboard fetched: the page, scripts, stylesheet and API calls, as sent over the wire.
            long bytes = ((Number) browser.script("return performance.getEntriesByType('navigation')"
                    + ".concat(performance.getEntriesByType('resource'))"
                    + ".reduce((sum, e) => sum + e.transferSize, 0);")).longValue();
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target", "first-load-bytes.txt"), bytes + "\n", StandardCharsets.UTF_8);
            System.out.println("First load of the dashboard transferred " + bytes + " bytes");
            assertThat(bytes).isPositive().isLessThanOrEqualTo(FIRST_LOAD_BUDGET);
        } finally {
            browser.cacheDisabled(false);
        }
    }
}
