"""Independent check of a static site: serves DIR with Python's http.server on a free
loopback port, starts at index.html and the pages of sitemap.xml, and follows every link
of every page (a, link and script, same host only), fetching each target once. Every
target must answer 200; every page must pass html_check.py's checks (well-formed, one h1,
labelled controls…); every link with a fragment must name an id of its target page.

usage: site_crawl.py DIR
Prints the counts of pages, files and links followed; exits 1 with the problems on stderr.
"""

import functools
import http.server
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ElementTree
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from html_check import Page  # noqa: E402


class Crawled(Page):
    """A page whose links, styles and scripts are all collected."""

    def handle_starttag(self, tag, attrs):
        super().handle_starttag(tag, attrs)
        attrs = dict(attrs)
        if tag == "link" and "href" in attrs:
            self.links.append(attrs["href"])
        if tag == "script" and "src" in attrs:
            self.links.append(attrs["src"])


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def main():
    root_dir = sys.argv[1]
    handler = functools.partial(Quiet, directory=root_dir)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    problems = []
    queue = [base + "index.html"]
    sitemap = Path(root_dir, "sitemap.xml")
    namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locations = [loc.text for loc in ElementTree.parse(sitemap).getroot().iter(namespace + "loc")]
    # The sitemap names pages under the public URL, the home page among them.
    public = next(loc for loc in locations if loc.endswith("/index.html"))[: -len("index.html")]
    queue.extend(base + loc[len(public):] for loc in locations)
    fetched = {}
    ids = {}
    fragments = []
    links = 0
    while queue:
        url = queue.pop()
        if url in fetched:
            continue
        try:
            with urllib.request.urlopen(url) as response:
                body = response.read()
                fetched[url] = response.status
        except urllib.error.HTTPError as error:
            fetched[url] = error.code
            problems.append(f"{url}: {error.code}")
            continue
        if not url.endswith(".html"):
            continue
        page = Crawled()
        page.feed(body.decode("utf-8"))
        page.close()
        page.finish()
        problems.extend(f"{url}: {p}" for p in page.problems)
        ids[url] = page.ids
        for link in page.links:
            target = urllib.parse.urljoin(url, link)
            if not target.startswith(base):
                continue
            links += 1
            target, _, fragment = target.partition("#")
            if fragment:
                fragments.append((url, target, fragment))
            if target not in fetched:
                queue.append(target)
    for page, target, fragment in fragments:
        if target in ids and fragment not in ids[target]:
            problems.append(f"{page}: #{fragment} is no id of {target}")
    server.shutdown()
    pages = sum(1 for url in fetched if url.endswith(".html"))
    print(f"{pages} pages, {len(fetched)} files, {links} links, {len(fragments)} fragments")
    for problem in problems:
        print(problem, file=sys.stderr)
    sys.exit(1 if problems else 0)


main()
