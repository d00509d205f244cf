package org.vigil.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real browser for end-to-end tests: Debian's Chromium, headless, driven through chromedriver. It
 * signs people in the way they do — the web app sends them to Vigil's sign-in page — and saves a
 * screenshot under {@code target/screenshots} when asked (the tests' failure hook asks).
 */
public final class Browser implements AutoCloseable {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  public static final Path SCREENSHOTS = Path.of("target", "screenshots");

  private final ChromeDriver driver;
  private final URI base;
  private final String name;

  private Browser(String name, URI base, int width, int height) {
    this(name, base, width, height, List.of());
  }

  private Browser(String name, URI base, int width, int height, List<String> extraArguments) {
    this(name, base, width, height, extraArguments, null);
  }

  private Browser(
      String name, URI base, int width, int height, List<String> extraArguments, Path downloads) {
    this.name = name;
    this.base = base;
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-dev-shm-usage",
        "--window-size=" + width + "," + height);
    options.addArguments(extraArguments);
    if (downloads != null) {
      options.setExperimentalOption(
          "prefs",
          java.util.Map.of(
              "download.default_directory",
              downloads.toAbsolutePath().toString(),
              "download.prompt_for_download",
              false));
    }
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
    this.driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
  }

  public static Browser open(String name, URI base) {
    return new Browser(name, base, 1400, 1000);
  }

  /**
   * A browser with a camera and a microphone: Chromium's fake devices (a test pattern and a tone),
   * allowed without asking, for video visits.
   */
  public static Browser withCameraAndMicrophone(String name, URI base) {
    return new Browser(
        name,
        base,
        1400,
        1000,
        List.of("--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"));
  }

  /** A browser that saves what the user downloads into {@code directory}, without asking. */
  public static Browser savingDownloadsTo(String name, URI base, Path directory) {
    return new Browser(name, base, 1400, 1000, List.of(), directory);
  }

  /** A phone-sized window (Pixel 7's CSS width). */
  public static Browser phone(String name, URI base) {
    return new Browser(name, base, 412, 915);
  }

  public WebDriver driver() {
    return driver;
  }

  /** Opens the web app and signs in through the sign-in page it sends the browser to. */
  public Browser signIn(String username, String password) {
    driver.get(base.resolve("/").toString());
    WebElement user = await(ExpectedConditions.visibilityOfElementLocated(By.name("username")));
    user.sendKeys(username);
    driver.findElement(By.name("password")).sendKeys(password);
    driver.findElement(By.cssSelector("button[type=submit], input[type=submit]")).click();
    await(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#who .user")));
    return this;
  }

  public void go(String pathAndFragment) {
    driver.get(base.resolve(pathAndFragment).toString());
  }

  public <T> T await(Function<WebDriver, T> condition) {
    return await(Duration.ofSeconds(20), condition);
  }

  public <T> T await(Duration timeout, Function<WebDriver, T> condition) {
    // The app re-renders live parts of the page: an element found a moment ago may be replaced.
    return new WebDriverWait(driver, timeout, Duration.ofMillis(100))
        .ignoring(StaleElementReferenceException.class)
        .until(condition);
  }

  public WebElement find(String css) {
    return driver.findElement(By.cssSelector(css));
  }

  public List<WebElement> all(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  /** Waits until an element matching {@code css} is visible, and returns it. */
  public WebElement visible(String css) {
    return await(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
  }

  /** The text of the element matching {@code css}, once it is there, even if re-rendered. */
  public String textOf(String css) {
    return await(d -> find(css).getText());
  }

  /** Clicks the element matching {@code css} once it is there and visible, even if re-rendered. */
  public void click(String css) {
    await(d -> {
      WebElement element = find(css);
      if (!element.isDisplayed()) {
        return null;
      }
      element.click();
      return true;
    });
  }

  public Object script(String script, Object... args) {
    return driver.executeScript(script, args);
  }

  /** Runs a script that calls its last argument with the result, and returns that result. */
  public Object asyncScript(String script, Object... args) {
    return driver.executeAsyncScript(script, args);
  }

  /** Saves what the browser shows as {@code target/screenshots/<label>.png}. */
  public Path screenshot(String label) {
    try {
      Files.createDirectories(SCREENSHOTS);
      Path file = SCREENSHOTS.resolve(label + ".png");
      Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String name() {
    return name;
  }

  @Override
  public void close() {
    driver.quit();
  }
}
