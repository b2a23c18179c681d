package io.stackwarden.lab;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Debian's headless Chromium driven through Debian's chromedriver ({@code lab.sh browser} installs both; nothing is
 * downloaded). Lookups that find nothing, or an element a re-render replaced, answer empty instead of failing, so
 * tests can wait on them with {@code Await}.
 */
public final class Browser implements AutoCloseable {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private final ChromeDriver driver;

    private Browser(ChromeDriver driver) {
        this.driver = driver;
    }

    public static Browser start(int width, int height) {
        for (Path program : List.of(CHROMIUM, DRIVER)) {
            if (!Files.isExecutable(program)) {
                throw new IllegalStateException(program + " is missing: `make test` installs it (scripts/lab/lab.sh browser)");
            }
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // As root (the lab's user) Chromium's sandbox cannot start; /dev/shm may be small in a container.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=" + width + "," + height, "--lang=en-GB");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        return new Browser(new ChromeDriver(service, options));
    }

    public void open(String url) {
        driver.get(url);
    }

    public String url() {
        return driver.getCurrentUrl();
    }

    /** The element's text, empty when there is none (yet). */
    public String text(String css) {
        return find(css).map(element -> {
            try {
                return element.getText();
            } catch (WebDriverException replaced) {
                return "";
            }
        }).orElse("");
    }

    public Optional<WebElement> find(String css) {
        try {
            return driver.findElements(By.cssSelector(css)).stream().findFirst();
        } catch (WebDriverException e) {
            return Optional.empty();
        }
    }

    public List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    public WebElement element(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    @SuppressWarnings("unchecked")
    public <T> T script(String script, Object... args) {
        return (T) ((JavascriptExecutor) driver).executeScript(script, args);
    }

    public void resize(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    /** Saves a screenshot of the whole page (the window made as tall as the page) to {@code file}. */
    public void screenshot(Path file, int width) throws IOException {
        resize(width, 600); // the page is never shorter than the window: measured in a short one
        Number height = script("return document.documentElement.scrollHeight");
        resize(width, Math.min(4000, height.intValue() + 120));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
    }

    @Override
    public void close() {
        driver.quit();
    }
}
