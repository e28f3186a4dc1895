"""A person's first visit to `tipkg serve`, in a real headless Chromium driven by Selenium.

    browser.py BASE_URL OUT_DIR       (a running `tipkg serve`)
    browser.py --site DIR OUT_DIR     (a static site of `tipkg site`, served from DIR here)

Opens the home page, searches for "UNICEF", follows the hit to the entity page, follows
one of its sources to the source's page and finds the highlighted quotes, runs a bundled
query from the query page, and runs the SPARQL editor's query (a static site has neither:
its search runs in the page, from its search index). After each step it saves a
screenshot in OUT_DIR and checks that it is not blank, and it checks that the home,
entity and source pages fit a phone's width. At the end it fails on any message
of the browser's console at level SEVERE and on any request that left 127.0.0.1.

Prints one line per step on stdout; exits 1 with the problems on stderr.
"""

import http.server
import json
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import urlsplit

from PIL import Image
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ready
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM = "/usr/bin/chromium"
DRIVER = "/usr/bin/chromedriver"
# Without these Chromium reaches out to Google's services at start, which a closed network
# refuses and which the "nothing leaves 127.0.0.1" check below would rightly report.
QUIET = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--window-size=1280,900",
]


# Schemes that the browser answers itself (its own new-tab page, inline data).
INSIDE = {"about", "blob", "chrome", "chrome-extension", "chrome-untrusted", "data", "devtools"}


def browser(profile):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in QUIET:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    return webdriver.Chrome(service=Service(DRIVER), options=options)


def not_blank(path):
    """Whether a screenshot shows something: more than a handful of colours, and no single
    colour covering almost all of it."""
    with Image.open(path) as image:
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20) or []
        total = image.width * image.height
    if len(colours) < 8:
        return False
    return max(count for count, _ in colours) < 0.98 * total


class Visit:
    def __init__(self, driver, base, out):
        self.driver = driver
        self.base = base.rstrip("/")
        self.out = Path(out)
        self.problems = []
        self.wait = WebDriverWait(driver, 20)

    def shot(self, name):
        path = self.out / f"{name}.png"
        self.driver.save_screenshot(str(path))
        if not not_blank(path):
            self.problems.append(f"{name}: the screenshot {path} is blank")
        print(f"{name}: {self.driver.title} <{self.driver.current_url}>")

    def check(self, condition, message):
        if not condition:
            self.problems.append(message)
        return condition

    def home(self):
        self.driver.get(self.base + "/")
        heading = self.driver.find_element(By.TAG_NAME, "h1").text
        self.check(heading.strip() != "", "home: the page has no heading")
        self.shot("home")

    def search(self):
        box = self.driver.find_element(By.ID, "q")
        box.send_keys("UNICEF")
        box.submit()

        def hit(driver):
            try:
                for link in driver.find_elements(By.CSS_SELECTOR, "main ul a"):
                    if "UNICEF" in link.text or "Children" in link.text:
                        return link
            except StaleElementReferenceException:
                pass  # the script listed the hits again while they were read: look again
            return False

        # A static site's search page lists its hits from a script, after the page loads;
        # a hit found just before the list is written again is gone, so it is looked for
        # again (three times at most).
        for attempt in range(3):
            try:
                target = self.wait.until(hit)
            except TimeoutException:
                self.shot("search")
                self.problems.append("search: no hit for UNICEF")
                return False
            if attempt == 0:
                self.shot("search")
            try:
                target.click()
                break
            except StaleElementReferenceException:
                continue
        else:
            self.problems.append("search: the hit for UNICEF was replaced three times before a click")
            return False
        self.wait.until(ready.presence_of_element_located((By.TAG_NAME, "h1")))
        heading = self.driver.find_element(By.TAG_NAME, "h1").text
        self.check(
            "UNICEF" in heading or "Children" in heading,
            f"entity: the UNICEF page's heading is {heading!r}",
        )
        self.check("/doc/org/unicef" in self.driver.current_url, f"entity: landed on {self.driver.current_url}")
        self.shot("entity")
        return True

    def source(self):
        links = [
            a.get_attribute("href")
            for a in self.driver.find_elements(By.CSS_SELECTOR, "main a[href]")
            if "/graph/" in (a.get_attribute("href") or "")
        ]
        if not self.check(links, "entity: no link to a source's page"):
            return
        # Not every source's text is stored; the page of one whose text is highlights the
        # passages quoted from it.
        for link in dict.fromkeys(links):
            self.driver.get(link)
            marks = self.driver.find_elements(By.TAG_NAME, "mark")
            if any(mark.text.strip() for mark in marks):
                self.shot("source")
                return link
        self.problems.append(f"source: none of the sources {links} highlights a quoted passage")

    def phone(self, pages):
        """The pages fit a phone's width: nothing wider than the screen."""
        self.driver.set_window_size(390, 844)
        try:
            for page in pages:
                self.driver.get(page)
                wide = self.driver.execute_script(
                    "return [document.documentElement.scrollWidth, window.innerWidth]"
                )
                self.check(wide[0] <= wide[1], f"phone: {page} is {wide[0]} px wide on a {wide[1]} px screen")
            self.shot("phone")
        finally:
            self.driver.set_window_size(1280, 900)

    def bundled_query(self):
        self.driver.get(self.base + "/queries")
        button = self.driver.find_element(
            By.XPATH, "//form[contains(@action, 'queries/organisation-profile')]//button"
        )
        button.click()
        self.wait.until(ready.presence_of_element_located((By.TAG_NAME, "table")))
        rows = self.driver.find_elements(By.CSS_SELECTOR, "table tbody tr")
        self.check(rows, "query: organisation-profile gave no rows")
        self.check(
            "organisation=unicef" in self.driver.current_url,
            f"query: the form sent {self.driver.current_url}",
        )
        self.shot("query")

    def editor(self):
        self.driver.get(self.base + "/sparql")
        run = self.wait.until(ready.element_to_be_clickable((By.CSS_SELECTOR, ".yasqe_queryButton")))
        run.click()
        cells = WebDriverWait(self.driver, 30).until(
            lambda d: d.find_elements(By.CSS_SELECTOR, ".yasr table tbody td")
        )
        self.check(cells, "editor: the query gave no result table")
        self.shot("editor")

    def logs(self):
        for entry in self.driver.get_log("browser"):
            if entry.get("level") == "SEVERE":
                self.problems.append(f"console: {entry.get('message')}")
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message.get("method") != "Network.requestWillBeSent":
                continue
            url = message["params"]["request"]["url"]
            parts = urlsplit(url)
            if parts.scheme in INSIDE:
                continue
            if parts.hostname != "127.0.0.1":
                self.problems.append(f"network: a request left 127.0.0.1: {url}")


def static_server(directory):
    """Serves a static site's directory on a free loopback port, in a thread."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=directory, **kwargs)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}"


def main():
    if sys.argv[1] == "--site":
        base, out, dynamic = static_server(sys.argv[2]), sys.argv[3], False
    else:
        base, out, dynamic = sys.argv[1], sys.argv[2], True
    with tempfile.TemporaryDirectory() as profile:
        driver = browser(profile)
        try:
            visit = Visit(driver, base, out)
            visit.home()
            if visit.search():
                entity = driver.current_url
                source = visit.source()
                visit.phone([base + "/", entity] + ([source] if source else []))
            # A static site has no endpoint: no query page and no editor.
            if dynamic:
                visit.bundled_query()
                visit.editor()
            visit.logs()
        finally:
            driver.quit()
    if visit.problems:
        for problem in visit.problems:
            print(problem, file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
