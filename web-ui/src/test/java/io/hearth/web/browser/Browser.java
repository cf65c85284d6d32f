package io.hearth.web.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's chromium, headless, driven through its chromedriver on a fresh profile that is deleted
 * afterwards. Tests skip when either program is missing, unless {@code hearth.e2e.required} is true.
 */
final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    final ChromeDriver driver;
    private final ChromeDriverService service;
    private final Path profile;
    private final String base;

    private Browser(ChromeDriver driver, ChromeDriverService service, Path profile, String base) {
        this.driver = driver;
        this.service = service;
        this.profile = profile;
        this.base = base;
    }

    /** Skips (or, when end-to-end tests are required, fails) the calling test without chromium. */
    static void requireChromium() {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (Boolean.getBoolean("hearth.e2e.required")) {
            assertThat(installed).as("chromium and chromium-driver installed").isTrue();
        }
        assumeTrue(installed, "chromium or chromium-driver not installed");
    }

    static Browser open(int httpPort) throws IOException {
        Path profile = Files.createTempDirectory("hearth-chromium");
        // Both paths given, so Selenium never looks for (or downloads) a browser or driver of its own.
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                        "--window-size=1280,960", "--user-data-dir=" + profile, "--no-first-run",
                        "--disable-extensions", "--disable-background-networking", "--disable-component-update");
        try {
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().scriptTimeout(PATIENCE);
            return new Browser(driver, service, profile, "http://127.0.0.1:" + httpPort);
        } catch (WebDriverException e) {
            service.stop();
            delete(profile);
            throw e;
        }
    }

    void go(String path) {
        driver.get(base + path);
    }

    WebElement find(String css) {
        return until(() -> {
            List<WebElement> found = driver.findElements(By.cssSelector(css));
            return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
        }, "an element " + css);
    }

    /** Waits for text anywhere in the page's visible text. */
    void sees(String text) {
        until(() -> driver.findElement(By.tagName("body")).getText().contains(text) ? Boolean.TRUE : null,
                "\"" + text + "\" on the page");
    }

    /**
     * Clicks the first button matching {@code css} whose text starts with {@code words}, trying again
     * while live updates re-render the page under it.
     */
    void press(String css, String words) {
        until(() -> {
            for (WebElement button : driver.findElements(By.cssSelector(css))) {
                if (button.isDisplayed() && button.getText().startsWith(words)) {
                    button.click();
                    return true;
                }
            }
            return null;
        }, "a button \"" + words + "\" (" + css + ")");
    }

    /** The visible text of the whole page. */
    String text() {
        return driver.findElement(By.tagName("body")).getText();
    }

    void type(String css, String text) {
        WebElement field = find(css);
        field.clear();
        field.sendKeys(text);
    }

    /** Polls {@code condition} until it gives a value (not null), failing after ten seconds. */
    <T> T until(Supplier<T> condition, String what) {
        return until(condition, what, PATIENCE);
    }

    /** Polls {@code condition} until it gives a value (not null), failing after {@code patience}. */
    <T> T until(Supplier<T> condition, String what, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                T value = condition.get();
                if (value != null) {
                    return value;
                }
            } catch (WebDriverException e) {
                last = e;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
        throw new AssertionError("waited " + patience.toSeconds() + " s for " + what + " in " + driver.getCurrentUrl(), last);
    }

    Object script(String script, Object... arguments) {
        return ((JavascriptExecutor) driver).executeScript(script, arguments);
    }

    /** Turns the browser's HTTP cache off (true) or on, to measure what a first visit transfers. */
    void cacheDisabled(boolean disabled) {
        driver.executeCdpCommand("Network.enable", Map.of());
        driver.executeCdpCommand("Network.setCacheDisabled", Map.of("cacheDisabled", disabled));
    }

    /** Makes the page see the system's dark (true) or light colour scheme. */
    void darkTheme(boolean dark) {
        driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features",
                List.of(Map.of("name", "prefers-color-scheme", "value", dark ? "dark" : "light"))));
    }

    void screenshot(String name) throws IOException {
        Path directory = Path.of("target", "screenshots");
        Files.createDirectories(directory);
        Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), directory.resolve(name + ".png"),
                StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            delete(profile);
        }
    }

    private static void delete(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
