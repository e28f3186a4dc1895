"""Independent check of HTML pages with Python's html.parser: every element is closed in
order (void elements aside), ids are unique, the document has a language, a title, a
viewport and one h1, every form control has a label, every image an alt text. Prints the
href of every link, one per line, for the caller to follow.

usage: html_check.py PAGE.html...
Exits 0 when every page passes, 1 otherwise (with the problems on stderr).
"""

import sys
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
        "source", "track", "wbr"}


class Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []
        self.problems = []
        self.ids = set()
        self.labels = set()
        self.controls = []
        self.links = []
        self.h1 = 0
        self.lang = None
        self.title = False
        self.viewport = False
        self.doctype = False

    def handle_decl(self, decl):
        self.doctype = self.doctype or decl.lower() == "doctype html"

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        position = "line %d" % self.getpos()[0]
        if tag not in VOID:
            self.stack.append((tag, position))
        if "id" in attrs:
            if attrs["id"] in self.ids:
                self.problems.append(f"{position}: id {attrs['id']} twice")
            self.ids.add(attrs["id"])
        if tag == "html":
            self.lang = attrs.get("lang")
        if tag == "title":
            self.title = True
        if tag == "h1":
            self.h1 += 1
        if tag == "meta" and attrs.get("name") == "viewport":
            self.viewport = True
        if tag == "label" and "for" in attrs:
            self.labels.add(attrs["for"])
        if tag in ("input", "select", "textarea") and attrs.get("type") not in ("hidden", "submit"):
            self.controls.append((attrs.get("id"), attrs.get("aria-label"), position))
        if tag == "img" and "alt" not in attrs:
            self.problems.append(f"{position}: an image without alt")
        if tag == "a" and "href" in attrs:
            self.links.append(attrs["href"])

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        position = "line %d" % self.getpos()[0]
        if tag in VOID:
            return
        if not self.stack:
            self.problems.append(f"{position}: </{tag}> closes nothing")
            return
        open_tag, opened = self.stack.pop()
        if open_tag != tag:
            self.problems.append(f"{position}: </{tag}> closes <{open_tag}> of {opened}")

    def finish(self):
        for tag, opened in self.stack:
            self.problems.append(f"<{tag}> of {opened} is never closed")
        if not self.doctype:
            self.problems.append("no <!doctype html>")
        if not self.lang:
            self.problems.append("no lang on <html>")
        if not self.title:
            self.problems.append("no <title>")
        if not self.viewport:
            self.problems.append("no viewport meta")
        if self.h1 != 1:
            self.problems.append(f"{self.h1} h1 headings, not one")
        for control_id, aria_label, position in self.controls:
            if not aria_label and control_id not in self.labels:
                self.problems.append(f"{position}: a form control without a label")


def main():
    failed = False
    for path in sys.argv[1:]:
        page = Page()
        with open(path, encoding="utf-8") as f:
            page.feed(f.read())
        page.close()
        page.finish()
        for problem in page.problems:
            print(f"{path}: {problem}", file=sys.stderr)
            failed = True
        for link in page.links:
            print(link)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
