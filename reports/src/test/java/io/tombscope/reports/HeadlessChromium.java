package io.tombscope.reports;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * A real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}, which {@code
 * .ci/run} installs) driven by Selenium. The driver and browser paths are given explicitly, so
 * Selenium Manager never runs and nothing is downloaded; a fresh profile directory keeps runs
 * apart. Fails with a one-line message naming the packages to install when either binary is
 * missing.
 *
 * <p>Not thread-safe: one test class drives one browser.
 */
public final class HeadlessChromium implements AutoCloseable {
  /** Debian's paths; the system properties serve machines that keep them elsewhere. */
  private static final File DRIVER =
      new File(System.getProperty("tombscope.chromedriver", "/usr/bin/chromedriver"));

  private static final File BROWSER =
      new File(System.getProperty("tombscope.chromium", "/usr/bin/chromium"));

  /**
   * Selenium warns on every start that it has no DevTools bindings for this Chromium's version; the
   * tests use only WebDriver, so the warning is noise. Held here because the JDK keeps loggers
   * weakly and would forget the level.
   */
  private static final Logger SELENIUM_LOG = quiet("org.openqa.selenium");

  private final ChromeDriver driver;
  private final Path profile;

  public HeadlessChromium() throws IOException {
    if (!DRIVER.canExecute() || !BROWSER.canExecute()) {
      throw new IllegalStateException(
          "the browser tests need "
              + BROWSER
              + " and "
              + DRIVER
              + ": install them with 'apt-get install chromium chromium-driver' (.ci/run does it)");
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
        "--user-data-dir=" + profile);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(DRIVER).build();
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
  }

  private static Logger quiet(String name) {
    Logger logger = Logger.getLogger(name);
    logger.setLevel(Level.SEVERE);
    return logger;
  }

  /**
   * Opens a local file through a {@code file://} URL and waits for it to load; console messages of
   * pages opened before are dropped.
   */
  public void open(Path html) {
    consoleErrors();
    driver.get(html.toUri().toString());
  }

  /**
   * Console messages at SEVERE level (errors, uncaught exceptions, failed loads) since the last
   * call.
   */
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

  /** The tick labels of the x axis of the chart drawn on canvas {@code canvasId}. */
  @SuppressWarnings("unchecked")
  public List<String> xTickLabels(String canvasId) {
    return (List<String>)
        script(
            "var c = Chart.getChart(document.getElementById(arguments[0]));"
                + "return c.scales.x.ticks.map(function (t) { return String(t.label); });",
            canvasId);
  }

  /** The text of column {@code column} of the first table, row by row. */
  public List<String> column(int column) {
    return driver.findElements(By.cssSelector("table.sortable tbody tr")).stream()
        .map(r -> r.findElements(By.tagName("td")).get(column).getText())
        .toList();
  }

  /** Header {@code column} of the first sortable table. */
  public WebElement header(int column) {
    return driver.findElements(By.cssSelector("table.sortable th")).get(column);
  }

  /** Clicks header {@code column} of the first sortable table, as a reader would. */
  public void clickHeader(int column) {
    header(column).click();
  }

  /** Sets the browser window's size, in CSS pixels. */
  public void resize(int width, int height) {
    driver.manage().window().setSize(new Dimension(width, height));
  }

  /** The browser window's size, in CSS pixels: {@code {width, height}}. */
  public int[] windowSize() {
    Dimension d = driver.manage().window().getSize();
    return new int[] {d.getWidth(), d.getHeight()};
  }

  /**
   * Drags the mouse across the {@code index}th canvas of the page, at half its height, from {@code
   * fromX} to {@code toX} CSS pixels from its left edge, as a reader does with the left button.
   */
  public void drag(int index, double fromX, double toX) {
    WebElement canvas = driver.findElements(By.tagName("canvas")).get(index);
    script("arguments[0].scrollIntoView({block: 'center'});", canvas);
    // Offsets are from the element's centre.
    int centre = canvas.getRect().getWidth() / 2;
    new Actions(driver)
        .moveToElement(canvas, (int) Math.round(fromX) - centre, 0)
        .clickAndHold()
        .moveByOffset((int) Math.round((toX - fromX) / 2), 0)
        .moveByOffset((int) Math.round(toX - fromX) - (int) Math.round((toX - fromX) / 2), 0)
        .release()
        .perform();
  }

  /** Double-clicks the middle of the {@code index}th canvas of the page. */
  public void doubleClick(int index) {
    new Actions(driver).doubleClick(driver.findElements(By.tagName("canvas")).get(index)).perform();
  }

  /** Runs a script in the page (its {@code arguments} are {@code args}) and returns its result. */
  public Object script(String js, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(js, args);
  }

  /**
   * Cards, table wrappers and tiles whose content is wider than they are ({@code scrollWidth >
   * clientWidth}), each as "heading: element (scrollWidth > clientWidth)"; empty when everything
   * fits.
   */
  @SuppressWarnings("unchecked")
  public List<String> overflowing() {
    return (List<String>)
        script(
            "var out = [];"
                + "document.querySelectorAll('.block, .table-wrap, .tile').forEach(function (e) {"
                + "  if (e.scrollWidth > e.clientWidth) {"
                + "    var b = e.closest('.block'); var h = b && b.querySelector('h2');"
                + "    out.push((h ? h.textContent : '?') + ': ' + e.className + ' ('"
                + "      + e.scrollWidth + ' > ' + e.clientWidth + ') '"
                + "      + e.textContent.substring(0, 80));"
                + "  }"
                + "});"
                + "return out;");
  }

  /**
   * Text of table cells (and of the lines they unfold to, when open) that the browser wrapped
   * inside a name: a line that ends with a letter or digit right before one that starts with
   * another. Returned as "...text before|text after..." around each break; empty when every line
   * breaks between names (after a dot, a space or before a parenthesis).
   */
  @SuppressWarnings("unchecked")
  public List<String> namesBrokenMidWord() {
    return (List<String>)
        script(
            "var out = [];"
                + "var cells = document.querySelectorAll('td, td summary, ol.lines li');"
                + "cells.forEach(function (cell) {"
                + "  var walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);"
                + "  var prev = null; var prevTop = null; var node;"
                + "  while ((node = walker.nextNode())) {"
                + "    if (node.parentElement.closest('ol.lines') && cell.tagName !== 'LI') continue;"
                + "    for (var i = 0; i < node.length; i++) {"
                + "      var r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1);"
                + "      var rects = r.getClientRects(); if (rects.length === 0) continue;"
                + "      var top = rects[0].top; var ch = node.data.charAt(i);"
                + "      if (prev !== null && top > prevTop + 2 && /[A-Za-z0-9_]/.test(prev)"
                + "          && /[A-Za-z0-9_]/.test(ch)) {"
                + "        out.push(cell.textContent.substring(0, 200) + ' @ ' + prev + '|' + ch);"
                + "      }"
                + "      prev = ch; prevTop = top;"
                + "    }"
                + "  }"
                + "});"
                + "return out;");
  }

  /**
   * What does not fit in the report {@code html} at a laptop's 1366×768 and a desktop's 1920×1080,
   * as shown and with every stack unfolded: console errors, cards, tables or tiles wider than they
   * are, names broken inside. Empty when it fits; the window is put back.
   */
  public List<String> misfits(Path html) {
    int[] window = windowSize();
    List<String> problems = new java.util.ArrayList<>();
    try {
      for (int[] size : new int[][] {{1366, 768}, {1920, 1080}}) {
        resize(size[0], size[1]);
        open(html);
        String at = size[0] + "x" + size[1] + " ";
        consoleErrors().forEach(e -> problems.add(at + "console: " + e));
        overflowing().forEach(e -> problems.add(at + "overflows: " + e));
        namesBrokenMidWord().forEach(e -> problems.add(at + "broken: " + e));
        openAllDetails();
        overflowing().forEach(e -> problems.add(at + "unfolded, overflows: " + e));
        namesBrokenMidWord().forEach(e -> problems.add(at + "unfolded, broken: " + e));
      }
    } finally {
      resize(window[0], window[1]);
    }
    return problems;
  }

  /** Unfolds every {@code <details>} on the page, as a reader clicking each would. */
  public void openAllDetails() {
    script("document.querySelectorAll('details').forEach(function (d) { d.open = true; });");
  }

  /** Saves what the window shows, the whole page height, as a PNG file. */
  public void screenshot(Path png) throws IOException {
    Object height = script("return document.documentElement.scrollHeight;");
    int[] window = windowSize();
    resize(window[0], Math.min(16_000, ((Number) height).intValue() + 200));
    try {
      byte[] bytes =
          ((org.openqa.selenium.TakesScreenshot) driver)
              .getScreenshotAs(org.openqa.selenium.OutputType.BYTES);
      Files.createDirectories(png.toAbsolutePath().getParent());
      Files.write(png, bytes);
    } finally {
      resize(window[0], window[1]);
    }
  }

  /** Quits the browser and deletes its profile directory. */
  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      deleteTree(profile);
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    } catch (IOException e) {
      // A leftover temporary profile is harmless; the test's outcome does not depend on it.
    }
  }
}
