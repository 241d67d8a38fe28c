package dev.qdrantedge.demo.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The notes page in a real headless Chromium, driven through the system's chromedriver (never one Selenium
 * Manager would fetch): a user adds three notes through the form, searches by meaning with words none of which
 * occur in the note they are after, finds it ranked first, sees the sync status, and deletes a note.
 *
 * <p>Needs the system's Chromium and chromedriver ({@link SystemChromium}): without them the test is skipped and
 * says why, unless the environment variable {@code EDGE_BROWSER_REQUIRED} is {@code true} (as in CI), where it
 * fails.
 */
@ExtendWith(SystemChromium.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class NotesPageBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static final String BREAD_TEXT = "Feed the starter twice a day and let the dough rise overnight before "
            + "baking the loaf.";
    private static final String QUERY = "how to make bread at home";

    @TempDir
    static Path temp;

    private static WebDriver browser;

    /**
     * Selenium looks for DevTools bindings of the browser's version and warns when it has none; the test uses
     * WebDriver only, so that warning says nothing. Held here so the setting is not garbage collected.
     */
    private static final Logger DEVTOOLS_LOG = Logger.getLogger("org.openqa.selenium.devtools");

    @DynamicPropertySource
    static void shardPath(DynamicPropertyRegistry registry) {
        registry.add("qdrant.edge.path", () -> temp.resolve("shard").toString());
    }

    @BeforeAll
    static void startBrowser() {
        DEVTOOLS_LOG.setLevel(Level.SEVERE);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(SystemChromium.CHROMEDRIVER)).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions().setBinary(SystemChromium.CHROMIUM)
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                        "--window-size=1400,1000", "--user-data-dir=" + temp.resolve("chromium-profile"));
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Value("${local.server.port}")
    int port;

    private WebDriverWait waiting() {
        return new WebDriverWait(browser, WAIT);
    }

    private List<WebElement> results() {
        return browser.findElements(By.cssSelector("#results li.result"));
    }

    private void addNote(String title, String text, String tags, int expectedCount) {
        browser.findElement(By.id("title")).sendKeys(title);
        browser.findElement(By.id("text")).sendKeys(text);
        browser.findElement(By.id("tags")).sendKeys(tags);
        browser.findElement(By.id("add")).click();
        waiting().until(ExpectedConditions.textToBe(By.id("add-message"), "Added “" + title + "”."));
        waiting().until(d -> results().size() == expectedCount);
    }

    private static Set<String> words(String text) {
        return new HashSet<>(Arrays.asList(text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")));
    }

    @Test
    void addsNotesFindsOneByMeaningAndDeletesIt() throws IOException {
        // the query shares no word with the note it should find: only meaning can rank it first
        Set<String> shared = words(QUERY);
        shared.retainAll(words("Sourdough " + BREAD_TEXT + " cooking"));
        assertThat(shared).isEmpty();

        browser.get("http://localhost:" + port + "/");
        assertThat(browser.getTitle()).isEqualTo("Knowledge notes");
        waiting().until(ExpectedConditions.textToBe(By.id("results-heading"), "All notes (0)"));
        waiting().until(ExpectedConditions.textToBe(By.id("status-mode"), "embedded"));

        addNote("Tax deadline", "The quarterly tax filing is due on the fifteenth; send the receipts to the "
                + "accountant.", "finance", 1);
        addNote("Sourdough", BREAD_TEXT, "cooking", 2);
        addNote("Track intervals", "Six fast laps, one slow lap, then stretch the calves.", "sport, running", 3);
        assertThat(browser.findElement(By.id("results-heading")).getText()).isEqualTo("All notes (3)");
        waiting().until(ExpectedConditions.textToBe(By.id("status-points"), "3"));

        browser.findElement(By.id("query")).sendKeys(QUERY);
        browser.findElement(By.id("search")).click();
        waiting().until(ExpectedConditions.textToBe(By.id("results-heading"), "Results for “" + QUERY + "”"));
        List<WebElement> hits = results();
        assertThat(hits).hasSize(3);
        assertThat(hits.get(0).findElement(By.className("note-title")).getText()).isEqualTo("Sourdough");
        assertThat(hits.get(0).findElement(By.className("tag")).getText()).isEqualTo("cooking");
        List<Double> scores = hits.stream().map(hit -> Double.parseDouble(hit.findElement(By.className("score"))
                .getText())).collect(Collectors.toList());
        assertThat(scores.get(0)).isGreaterThan(scores.get(1));
        assertThat(scores.get(1)).isGreaterThanOrEqualTo(scores.get(2));
        assertThat(browser.findElement(By.id("status-sync")).getText()).isEqualTo("local-only");
        assertThat(browser.findElement(By.id("status-server")).getText()).isEqualTo("none");
        screenshot("notes-page-search.png");

        // a filter the best match does not pass
        browser.findElement(By.id("filter-tag")).sendKeys("finance");
        browser.findElement(By.id("search")).click();
        waiting().until(d -> results().size() == 1);
        assertThat(results().get(0).findElement(By.className("note-title")).getText()).isEqualTo("Tax deadline");
        browser.findElement(By.id("filter-tag")).clear();

        // a refused request shows the API's message
        browser.findElement(By.id("query")).clear();
        browser.findElement(By.id("search")).click();
        waiting().until(ExpectedConditions.textToBe(By.id("search-message"),
                "q: must not be blank: give the text to search for"));

        // delete from the full list
        browser.findElement(By.id("show-all")).click();
        waiting().until(ExpectedConditions.textToBe(By.id("results-heading"), "All notes (3)"));
        WebElement sourdough = results().stream()
                .filter(r -> r.findElement(By.className("note-title")).getText().equals("Sourdough")).findFirst()
                .orElseThrow();
        sourdough.findElement(By.className("delete")).click();
        waiting().until(ExpectedConditions.textToBe(By.id("results-heading"), "All notes (2)"));
        assertThat(results()).extracting(r -> r.findElement(By.className("note-title")).getText())
                .containsExactly("Track intervals", "Tax deadline");
        waiting().until(ExpectedConditions.textToBe(By.id("status-points"), "2"));
    }

    /** Keeps a picture of the page under target/ for people to look at. */
    private static void screenshot(String name) throws IOException {
        File shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
        Path target = Path.of("target", name);
        Files.createDirectories(target.getParent());
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    }
}
