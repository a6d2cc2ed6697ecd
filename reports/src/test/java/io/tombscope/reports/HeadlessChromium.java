package io.tombscope.reports;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * A real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}, which {@code
 * .ci/run} installs) driven by Selenium with the driver path given, so nothing is downloaded.
 */
public final class HeadlessChromium implements AutoCloseable {
  private static final File DRIVER = new File("/usr/bin/chromedriver");
  private static final File BROWSER = new File("/usr/bin/chromium");

  private final ChromeDriver driver;
  private final Path profile;

  public HeadlessChromium() throws IOException {
    if (!DRIVER.canExecute() || !BROWSER.canExecute()) {
      throw new IllegalStateException(
          "the browser tests need Debian's chromium and chromium-driver"
              + " (apt-get install chromium chromium-driver; .ci/run does it)");
    }
    profile = Files.createTempDirectory("chromium-profile");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BROWSER);
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--allow-file-access-from-files",
        "--user-data-dir=" + profile);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(DRIVER).build();
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
  }

  /** Opens a local file. */
  public void open(Path html) {
    driver.get(html.toUri().toString());
  }

  /** Console messages at SEVERE level (errors), including uncaught exceptions. */
  public List<String> consoleErrors() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
        .map(LogEntry::getMessage)
        .toList();
  }

  /** For every canvas on the page: whether Chart.js owns it and it has painted pixels. */
  @SuppressWarnings("unchecked")
  public List<Map<String, Object>> charts() {
    return (List<Map<String, Object>>)
        ((JavascriptExecutor) driver)
            .executeScript(
                "return Array.from(document.querySelectorAll('canvas')).map(function (c) {"
                    + "  var ctx = c.getContext('2d');"
                    + "  var data = ctx.getImageData(0, 0, c.width, c.height).data;"
                    + "  var painted = 0;"
                    + "  for (var i = 3; i < data.length; i += 4) { if (data[i] > 0) painted++; }"
                    + "  return { id: c.id, chart: typeof Chart !== 'undefined' && !!Chart.getChart(c),"
                    + "           painted: painted, width: c.width, height: c.height };"
                    + "});");
  }

  /** The text of column {@code column} of the first table, row by row. */
  public List<String> column(int column) {
    return driver.findElements(By.cssSelector("table.sortable tbody tr")).stream()
        .map(r -> r.findElements(By.tagName("td")).get(column).getText())
        .toList();
  }

  /** Clicks header {@code column} of the first sortable table. */
  public void clickHeader(int column) {
    List<WebElement> headers = driver.findElements(By.cssSelector("table.sortable th"));
    headers.get(column).click();
  }

  /** Runs a script and returns its result. */
  public Object script(String js) {
    return ((JavascriptExecutor) driver).executeScript(js);
  }

  @Override
  public void close() {
    driver.quit();
  }
}
