//! A document's text: plain text, HTML or Markdown read into lines of prose (the text
//! that is stored beside the source record and that quotes are checked against), with
//! what the document says of itself (title, date, publisher, address, language), and the
//! sentences of that text.

use std::ops::Range;

/// The formats `ingest` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Html,
    Markdown,
}

impl Format {
    /// The format of a file, from its extension, or from its first bytes when the
    /// extension says nothing; `None` for PDF, which is not read.
    pub fn detect(name: &str, bytes: &str) -> Option<Format> {
        let lower = name.to_ascii_lowercase();
        let ext = lower.rsplit_once('.').map_or("", |(_, e)| e);
        match ext {
            "html" | "htm" | "xhtml" => Some(Format::Html),
            "md" | "markdown" => Some(Format::Markdown),
            "pdf" => None,
            _ => {
                let head = bytes
                    .trim_start()
                    .get(..15)
                    .unwrap_or("")
                    .to_ascii_lowercase();
                if head.starts_with("<!doctype html") || head.starts_with("<html") {
                    Some(Format::Html)
                } else if bytes.starts_with("%PDF") {
                    None
                } else {
                    Some(Format::Text)
                }
            }
        }
    }
}

/// A document read: its text (one paragraph per line, the title first) and what it
/// states about itself.
#[derive(Debug, Default, Clone)]
pub struct Document {
    pub text: String,
    pub title: Option<String>,
    pub published: Option<String>,
    pub publisher: Option<String>,
    pub url: Option<String>,
    pub language: Option<String>,
}

/// Reads a document of a format.
pub fn read(format: Format, input: &str) -> Document {
    match format {
        Format::Text => plain(input),
        Format::Html => html(input),
        Format::Markdown => markdown(input),
    }
}

fn plain(input: &str) -> Document {
    let lines: Vec<String> = input
        .lines()
        .map(collapse)
        .filter(|l| !l.is_empty())
        .collect();
    Document {
        title: lines.first().cloned(),
        text: lines.join("\n"),
        ..Document::default()
    }
}

/// Runs of whitespace become one space; ends trimmed.
fn collapse(line: &str) -> String {
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

const BLOCKS: &[&str] = &[
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "table",
    "section",
    "article",
    "header",
    "footer",
    "blockquote",
    "figcaption",
    "main",
    "nav",
    "dd",
    "dt",
    "hr",
    "title",
];
const SKIPPED: &[&str] = &[
    "script", "style", "head", "noscript", "template", "svg", "nav",
];

/// HTML: the text of the elements, a line per block element, without scripts, styles and
/// the head (whose title and meta elements are read for the document's own description).
fn html(input: &str) -> Document {
    let mut doc = Document::default();
    let mut out = String::new();
    let mut skip: Option<String> = None;
    let mut in_title = false;
    let mut title = String::new();
    let mut h1: Option<String> = None;
    let mut in_h1 = false;
    let mut h1_text = String::new();
    let mut rest = input;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            push_text(
                &mut out,
                rest,
                skip.is_some(),
                in_title,
                &mut title,
                in_h1,
                &mut h1_text,
            );
            break;
        };
        push_text(
            &mut out,
            &rest[..lt],
            skip.is_some(),
            in_title,
            &mut title,
            in_h1,
            &mut h1_text,
        );
        rest = &rest[lt..];
        if rest.starts_with("<!--") {
            rest = rest.find("-->").map_or("", |end| &rest[end + 3..]);
            continue;
        }
        let Some(gt) = rest.find('>') else { break };
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        let closing = tag.starts_with('/');
        let body = tag.trim_start_matches('/');
        let name: String = body
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if let Some(skipped) = &skip {
            if closing && &name == skipped {
                skip = None;
            } else if name == "title" && !closing {
                in_title = true;
            } else if name == "title" {
                in_title = false;
            } else if name == "meta" {
                meta(body, &mut doc);
            } else if name == "link" {
                link(body, &mut doc);
            }
            continue;
        }
        match name.as_str() {
            "html" if !closing => {
                if let Some(lang) = attribute(body, "lang") {
                    doc.language = Some(lang);
                }
            }
            "meta" => meta(body, &mut doc),
            "link" => link(body, &mut doc),
            "time" if !closing && doc.published.is_none() => {
                doc.published = attribute(body, "datetime").map(|d| d.chars().take(10).collect());
            }
            "title" => in_title = !closing,
            "h1" => {
                in_h1 = !closing;
                if closing && h1.is_none() {
                    h1 = Some(collapse(&h1_text));
                }
            }
            _ => {}
        }
        if !closing && SKIPPED.contains(&name.as_str()) && !body.ends_with('/') {
            skip = Some(name.clone());
        }
        if BLOCKS.contains(&name.as_str()) {
            out.push('\n');
        }
    }
    let title = collapse(&title);
    let mut text = plain(&out);
    doc.title = h1
        .filter(|h| !h.is_empty())
        .or((!title.is_empty()).then_some(title))
        .or(text.title.take());
    doc.text = text.text;
    doc
}

fn push_text(
    out: &mut String,
    raw: &str,
    skipped: bool,
    in_title: bool,
    title: &mut String,
    in_h1: bool,
    h1: &mut String,
) {
    let decoded = decode_entities(raw);
    if in_title {
        title.push_str(&decoded);
    }
    if skipped {
        return;
    }
    if in_h1 {
        h1.push_str(&decoded);
    }
    out.push_str(&decoded);
}

fn meta(tag: &str, doc: &mut Document) {
    let key = attribute(tag, "name")
        .or_else(|| attribute(tag, "property"))
        .unwrap_or_default()
        .to_ascii_lowercase();
    let Some(content) = attribute(tag, "content") else {
        return;
    };
    match key.as_str() {
        "article:published_time" | "date" | "dc.date" | "dcterms.date" | "citation_date" => {
            doc.published
                .get_or_insert(content.chars().take(10).collect());
        }
        "og:site_name" | "publisher" | "dc.publisher" | "author" => {
            doc.publisher.get_or_insert(content);
        }
        "og:url" => {
            doc.url.get_or_insert(content);
        }
        "og:title" => {
            doc.title.get_or_insert(content);
        }
        _ => {}
    }
}

fn link(tag: &str, doc: &mut Document) {
    if attribute(tag, "rel").is_some_and(|r| r.eq_ignore_ascii_case("canonical"))
        && let Some(href) = attribute(tag, "href")
    {
        doc.url = Some(href);
    }
}

/// The value of an attribute in the inside of a tag (quoted or not), entities decoded.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = lower[from..].find(name) {
        let start = from + at;
        from = start + name.len();
        let before = lower[..start].chars().next_back();
        if !before.is_some_and(char::is_whitespace) {
            continue;
        }
        let after = lower[from..].trim_start();
        let Some(value) = after.strip_prefix('=') else {
            continue;
        };
        let offset = tag.len() - value.len();
        let value = tag[offset..].trim_start();
        let raw = if let Some(q) = value.strip_prefix('"') {
            q.split('"').next().unwrap_or("")
        } else if let Some(q) = value.strip_prefix('\'') {
            q.split('\'').next().unwrap_or("")
        } else {
            value
                .split(|c: char| c.is_whitespace() || c == '/')
                .next()
                .unwrap_or("")
        };
        return Some(decode_entities(raw));
    }
    None
}

/// Decodes the character references of HTML text: numeric ones and the named ones news
/// pages use; an unknown name is left as it is.
pub fn decode_entities(raw: &str) -> String {
    if !raw.contains('&') {
        return raw.to_owned();
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest[1..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
            .map(|e| e + 1);
        let decoded = end
            .filter(|&e| rest[e..].starts_with(';'))
            .and_then(|e| entity(&rest[1..e]).map(|c| (c, e + 1)));
        if let Some((c, len)) = decoded {
            out.push(c);
            rest = &rest[len..];
        } else {
            out.push('&');
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "rsquo" => '’',
        "lsquo" => '‘',
        "ldquo" => '“',
        "rdquo" => '”',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "euro" => '€',
        "pound" => '£',
        "eacute" => 'é',
        "egrave" => 'è',
        "ocirc" => 'ô',
        "ccedil" => 'ç',
        _ => return None,
    })
}

/// Markdown: front matter (`title`, `date`, `publisher`, `url`, `lang`), headings,
/// emphasis, links and list markers taken away; a line per paragraph, list item or heading.
fn markdown(input: &str) -> Document {
    let mut doc = Document::default();
    let mut body = input;
    if let Some(after) = input.strip_prefix("---\n")
        && let Some(end) = after.find("\n---")
    {
        for line in after[..end].lines() {
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            let value = value.trim().trim_matches(['"', '\'']).to_owned();
            match key.trim() {
                "title" => doc.title = Some(value),
                "date" | "published" => doc.published = Some(value.chars().take(10).collect()),
                "publisher" | "author" => doc.publisher = Some(value),
                "url" => doc.url = Some(value),
                "lang" | "language" => doc.language = Some(value),
                _ => {}
            }
        }
        body = after[end + 4..].trim_start_matches(|c| c != '\n');
    }
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut heading: Option<String> = None;
    let mut fenced = false;
    for line in body.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        let hashes = trimmed.chars().take_while(|&c| c == '#').count();
        let item = trimmed
            .strip_prefix("- ")
            .or_else(|| trimmed.strip_prefix("* "))
            .or_else(|| trimmed.strip_prefix("+ "))
            .or_else(|| {
                let digits = trimmed.chars().take_while(char::is_ascii_digit).count();
                (digits > 0)
                    .then(|| trimmed[digits..].strip_prefix(". "))
                    .flatten()
            });
        if (trimmed.is_empty() || hashes > 0 || item.is_some() || trimmed.starts_with('>'))
            && !current.is_empty()
        {
            paragraphs.push(std::mem::take(&mut current));
        }
        if trimmed.is_empty() {
            continue;
        }
        if hashes > 0 && trimmed[hashes..].starts_with(' ') {
            let text = inline(&trimmed[hashes..]);
            if hashes == 1 && heading.is_none() {
                heading = Some(text.clone());
            }
            paragraphs.push(text);
            continue;
        }
        let content = item.unwrap_or(trimmed.trim_start_matches('>').trim_start());
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(&inline(content));
        if item.is_some() {
            paragraphs.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        paragraphs.push(current);
    }
    let mut lines: Vec<String> = paragraphs
        .iter()
        .map(|p| collapse(p))
        .filter(|p| !p.is_empty())
        .collect();
    if let Some(title) = &doc.title
        && lines.first() != Some(title)
    {
        lines.insert(0, title.clone());
    }
    doc.title = doc.title.or(heading).or(lines.first().cloned());
    doc.text = lines.join("\n");
    doc
}

/// Inline Markdown: `[text](address)` → text, emphasis and code marks taken away.
fn inline(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        if let Some(close) = after.find("](")
            && let Some(end) = after[close..].find(')')
        {
            out.push_str(&after[..close]);
            rest = &after[close + end + 1..];
        } else {
            out.push('[');
            rest = after;
        }
    }
    out.push_str(rest);
    out.replace("**", "")
        .replace("__", "")
        .replace('`', "")
        .split(' ')
        .map(|w| w.trim_start_matches('*').trim_end_matches('*'))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Abbreviations after which a full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "Prof", "St", "No", "Nos", "Inc", "Ltd", "Co", "vs", "etc", "e.g",
    "i.e", "U.S", "U.K", "U.N", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept",
    "Oct", "Nov", "Dec", "approx", "Rev", "Gen", "Amb",
];

/// The sentences of a text, as byte ranges: a sentence ends at a line's end or at `.`,
/// `!` or `?` followed by a space and a capital, a digit or a quotation mark, unless the
/// full stop closes an abbreviation or an initial.
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut line_start = 0;
    for line in text.split('\n') {
        let mut start = 0;
        let bytes = line.as_bytes();
        for (i, c) in line.char_indices() {
            if !matches!(c, '.' | '!' | '?') || bytes.get(i + 1) != Some(&b' ') {
                continue;
            }
            let next = line[i + 2..].chars().next();
            if !next.is_some_and(|n| n.is_uppercase() || n.is_ascii_digit() || "\"“‘(".contains(n))
            {
                continue;
            }
            if c == '.' {
                let word = line[start..i].rsplit(' ').next().unwrap_or("");
                let word = word.trim_start_matches(['(', '"', '“']);
                if ABBREVIATIONS.contains(&word)
                    || (word.chars().count() == 1 && word.chars().all(char::is_uppercase))
                {
                    continue;
                }
            }
            push_trimmed(&mut out, line, line_start, start, i + 1);
            start = i + 2;
        }
        push_trimmed(&mut out, line, line_start, start, line.len());
        line_start += line.len() + 1;
    }
    out
}

fn push_trimmed(out: &mut Vec<Range<usize>>, line: &str, base: usize, start: usize, end: usize) {
    let part = &line[start..end];
    let lead = part.len() - part.trim_start().len();
    let trail = part.len() - part.trim_end().len();
    if part.trim().is_empty() {
        return;
    }
    out.push(base + start + lead..base + end - trail);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_text_title_and_metadata() {
        let doc = read(
            Format::Html,
            "<html lang=\"en\"><head><title>T</title><meta property=\"article:published_time\" content=\"2024-03-05T10:00\"><style>p{}</style></head><body><h1>Launch &amp; more</h1><p>One&nbsp;two.<br>Three &#8217;s</p><script>x()</script></body></html>",
        );
        assert_eq!(doc.title.as_deref(), Some("Launch & more"));
        assert_eq!(doc.published.as_deref(), Some("2024-03-05"));
        assert_eq!(doc.language.as_deref(), Some("en"));
        assert_eq!(doc.text, "Launch & more\nOne two.\nThree ’s");
    }

    #[test]
    fn markdown_front_matter_links_and_lists() {
        let doc = read(
            Format::Markdown,
            "---\ntitle: A title\ndate: 2024-01-02\n---\n\n# Heading\n\nSome **bold** [link](http://x) text\ncontinued.\n\n- item one\n- item two\n",
        );
        assert_eq!(doc.title.as_deref(), Some("A title"));
        assert_eq!(doc.published.as_deref(), Some("2024-01-02"));
        assert_eq!(
            doc.text,
            "A title\nHeading\nSome bold link text continued.\nitem one\nitem two"
        );
    }

    #[test]
    fn sentences_skip_abbreviations_and_initials() {
        let text = "Dr. Smith met U.N. staff. It went well! Then J. Doe spoke.\nNew line";
        let got: Vec<&str> = sentences(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(
            got,
            [
                "Dr. Smith met U.N. staff.",
                "It went well!",
                "Then J. Doe spoke.",
                "New line"
            ]
        );
    }
}
