//! A unit test for every message the checks give, on small files of their own.

use super::*;
use crate::model::load::{self, TextFile};

/// A source with a text to check quotes against.
const SOURCE: &str = "[source]\nid = \"s\"\nkind = \"web-page\"\ntitle = \"S\"\nlanguage = \"en\"\ntext_file = \"s.txt\"\n";

/// A complete organisation, for records to point at: lines 1 to 5 of `data.toml`.
const ORGANISATION: &str =
    "[[organisation]]\nid = \"o\"\nsource = \"s\"\nkind = \"formal\"\nname = \"O\"\n";

/// What the checks report on these files (path relative to the data directory, text),
/// as `tipkg build` prints it.
fn check_files(files: &[(&str, &str)]) -> String {
    let files = files
        .iter()
        .map(|(relative, text)| TextFile {
            relative: (*relative).to_owned(),
            display: format!("data/{relative}"),
            text: (*text).to_owned(),
        })
        .collect();
    let mut diagnostics = Diagnostics::default();
    let parsed = load::parse(files, &mut diagnostics);
    assert!(diagnostics.is_empty(), "{diagnostics}");
    check(&parsed, &mut diagnostics);
    diagnostics.sort();
    diagnostics.to_string()
}

/// What the checks report on `data.toml` holding the organisation and then `records`,
/// beside the source and its text.
fn check_data(records: &str) -> String {
    check_files(&[
        ("sources/s.toml", SOURCE),
        ("sources/s.txt", "The text of the source."),
        ("data.toml", &format!("{ORGANISATION}{records}")),
    ])
}

#[test]
fn complete_records_have_no_problems() {
    assert_eq!(check_data(""), "");
}
#[test]
fn an_address_that_is_not_http_is_malformed() {
    assert_eq!(
        check_data("website = \"ftp://o.example/\"\n"),
        "data/data.toml:6:11: error: malformed IRI \"ftp://o.example/\": only http and https addresses are accepted\n  \
         help: write an absolute address such as \"https://example.org/page\"\n"
    );
}

#[test]
fn malformed_identifiers_show_what_one_looks_like() {
    assert_eq!(
        check_data("iati = \"xm-dac-1\"\nror = \"12345\"\n"),
        "data/data.toml:6:8: error: malformed IATI organisation identifier \"xm-dac-1\"\n  \
         help: an IATI organisation identifier looks like \"XM-DAC-41122\"\n\
         data/data.toml:7:7: error: malformed ROR id \"12345\"\n  \
         help: a ROR id looks like \"02cyaqf66\"\n"
    );
}

#[test]
fn a_currency_is_an_iso_4217_code() {
    let grant = "\n[[project]]\nid = \"p\"\nsource = \"s\"\nkind = \"project\"\nname = \"P\"\n\n\
                 [[grant]]\nid = \"g\"\nsource = \"s\"\nfunder = \"o\"\nfunded = \"p\"\ncurrency = \"usd\"\n";
    assert_eq!(
        check_data(grant),
        "data/data.toml:18:12: error: malformed ISO 4217 currency code \"usd\"\n  \
         help: an ISO 4217 currency code looks like \"USD\"\n"
    );
}

#[test]
fn an_empty_quote_is_an_error() {
    assert_eq!(
        check_data("quotes = [\" \"]\n"),
        "data/data.toml:6:11: error: empty quote\n  \
         help: copy a passage of the source verbatim, or remove the quote\n"
    );
}

/// A source in `sources/t.toml` with `extra` lines, `sources/t.txt` beside it, and an
/// organisation of it quoting the text.
fn check_source(id: &str, language: &str, extra: &str) -> String {
    let source = format!(
        "[source]\nid = \"{id}\"\nkind = \"web-page\"\ntitle = \"T\"\nlanguage = \"{language}\"\n{extra}"
    );
    let data = format!(
        "[[organisation]]\nid = \"o\"\nsource = \"{id}\"\nkind = \"formal\"\nname = \"O\"\nquotes = [\"a passage\"]\n"
    );
    check_files(&[
        ("sources/t.toml", &source),
        ("sources/t.txt", "a passage"),
        ("data.toml", &data),
    ])
}

#[test]
fn a_quote_needs_a_source_with_a_text() {
    assert_eq!(
        check_source("t", "en", ""),
        "data/data.toml:6:11: error: source \"t\" has no text to check this quote against\n  \
         help: add a text_file to the source, or remove the quote\n"
    );
}

#[test]
fn a_source_file_is_named_after_its_id() {
    assert_eq!(
        check_source("u", "en", "text_file = \"missing.txt\"\n"),
        "data/sources/t.toml:2:6: error: source \"u\" is in sources/t.toml, not in sources/u.toml\n  \
         help: name a source file after its id\n\
         data/sources/t.toml:6:13: error: text file \"missing.txt\" not found beside the source\n  \
         help: put the document's text in sources/missing.txt\n"
    );
}

#[test]
fn a_source_language_is_a_bcp_47_tag() {
    assert_eq!(
        check_source("t", "e n", "text_file = \"t.txt\"\n"),
        "data/sources/t.toml:5:12: error: invalid language tag \"e n\"\n  \
         help: use a BCP 47 language tag such as \"en\" or \"fr\"\n"
    );
}

#[test]
fn a_retrieval_date_is_a_day_after_publication() {
    assert_eq!(
        check_source(
            "t",
            "en",
            "text_file = \"t.txt\"\npublished = \"2021-11\"\nretrieved = \"2021-10-31\"\n"
        ),
        "data/sources/t.toml:8:13: error: retrieved on 2021-10-31, before it was published (2021-11)\n  \
         help: a document is read after it is published: check both dates\n"
    );
    assert_eq!(
        check_source(
            "t",
            "en",
            "text_file = \"t.txt\"\npublished = \"2021-11\"\nretrieved = \"2021-11\"\n"
        ),
        "data/sources/t.toml:8:13: error: invalid retrieval date \"2021-11\"\n  \
         help: write the day the document was read as YYYY-MM-DD\n"
    );
    assert_eq!(
        check_source(
            "t",
            "en",
            "text_file = \"t.txt\"\npublished = \"2021-11\"\nretrieved = \"2021-11-01\"\n"
        ),
        ""
    );
}

#[test]
fn a_unit_says_what_it_is_a_unit_of() {
    assert_eq!(
        check_data(
            "\n[[organisation]]\nid = \"u\"\nsource = \"s\"\nkind = \"unit\"\nname = \"U\"\n"
        ),
        "data/data.toml:8:6: error: organisation \"u\" is a unit but no record says what it is a unit of\n  \
         help: add unit_of = \"…\" naming the parent organisation\n"
    );
}

#[test]
fn every_entity_has_a_label_and_a_kind_in_some_record() {
    let records = "\n[[organisation]]\nid = \"n\"\nsource = \"s\"\n\n[[work]]\nid = \"w\"\nsource = \"s\"\n\n\
                   [[concept]]\nid = \"c\"\nsource = \"s\"\n";
    assert_eq!(
        check_data(records),
        "data/data.toml:8:6: error: organisation \"n\" has no kind in any of its records\n  \
         help: add kind = \"…\" to one of its records\n\
         data/data.toml:8:6: error: organisation \"n\" has no name in any of its records\n  \
         help: add name = \"…\" to the record of the source that names it\n\
         data/data.toml:12:6: error: work \"w\" has no kind in any of its records\n  \
         help: add kind = \"…\" to one of its records\n\
         data/data.toml:12:6: error: work \"w\" has no title in any of its records\n  \
         help: add title = \"…\" to the record of the source that names it\n\
         data/data.toml:16:6: error: concept \"c\" has no label in any of its records\n  \
         help: add label = \"…\" to the record of the source that names it\n\
         data/data.toml:16:6: error: concept \"c\" has no scheme in any of its records\n  \
         help: add scheme = \"…\" to one of its records\n"
    );
}

#[test]
fn unknown_references_say_where_each_kind_is_defined() {
    let records = "\n[[event]]\nid = \"e\"\nsource = \"nowhere\"\nkind = \"launch\"\nname = \"E\"\n\
                   based_on = [\"no-work\"]\nmotivated_by = [\"no-observation\"]\nabout = [\"no-topic\"]\n\n\
                   [[event.participant]]\norganisation = \"o\"\nrole = \"presenter\"\npresented = [\"no-project\"]\n\n\
                   [[work]]\nid = \"w\"\nsource = \"s\"\nkind = \"report\"\ntitle = \"W\"\nlaunched_at = \"no-event\"\n\n\
                   [[grant]]\nid = \"g\"\nsource = \"s\"\nfunder = \"o\"\nfunded = \"no-project\"\n\n\
                   [[concept]]\nid = \"c\"\nsource = \"s\"\nscheme = \"no-scheme\"\nlabel = \"C\"\n";
    assert_eq!(
        check_data(records),
        "data/data.toml:9:10: error: unknown source \"nowhere\"\n  \
         help: sources are defined by the files under sources/\n\
         data/data.toml:12:13: error: unknown work \"no-work\"\n  \
         help: define it in a [[work]] record, or correct the id\n\
         data/data.toml:13:17: error: unknown observation \"no-observation\"\n  \
         help: define it in a [[observation]] record, or correct the id\n\
         data/data.toml:14:10: error: unknown concept \"no-topic\"\n  \
         help: concepts of scheme \"topic\" are defined by [[concept]] records with scheme = \"topic\"\n\
         data/data.toml:18:8: error: unknown concept \"presenter\"\n  \
         help: concepts of scheme \"role\" are defined by [[concept]] records with scheme = \"role\"\n\
         data/data.toml:19:14: error: unknown project or work \"no-project\"\n  \
         help: define it in a [[project]] or [[work]] record\n\
         data/data.toml:26:15: error: unknown event \"no-event\"\n  \
         help: define it in a [[event]] record, or correct the id\n\
         data/data.toml:32:10: error: unknown project \"no-project\"\n  \
         help: define it in a [[project]] record, or correct the id\n\
         data/data.toml:37:10: error: unknown concept scheme \"no-scheme\"\n  \
         help: define it in a [[scheme]] record, or correct the id\n"
    );
}

/// What the checks report on a share of children of `value` percent, then `rest`: the
/// observation starts on line 20 of `data.toml`.
fn check_observation(value: u32, rest: &str) -> String {
    check_data(&format!(
        "\n[[scheme]]\nid = \"population\"\nsource = \"s\"\ntitle = \"Populations\"\ndescription = \"D\"\n\n\
         [[concept]]\nid = \"children\"\nsource = \"s\"\nscheme = \"population\"\nlabel = \"Children\"\n\n\
         [[observation]]\nid = \"share\"\nsource = \"s\"\nlabel = \"Share\"\nvalue = {value}\nunit = \"percent\"\n\
         population = \"children\"\ngroup = \"children\"\n{rest}"
    ))
}

#[test]
fn a_percentage_lies_between_0_and_100() {
    assert_eq!(
        check_observation(135, ""),
        "data/data.toml:20:6: error: observation \"share\" has a percentage of 135 outside 0 to 100\n  \
         help: a share in percent lies between 0 and 100\n"
    );
}

#[test]
fn a_statistic_has_a_period_and_covers_some_countries() {
    assert_eq!(
        check_observation(35, "period = \"20-20\"\ncountries_covered = 0\n"),
        "data/data.toml:27:10: error: invalid date \"20-20\"\n  \
         help: write a date as YYYY-MM-DD, a month as YYYY-MM or a year as YYYY\n\
         data/data.toml:28:21: error: observation \"share\" covers 0 countries\n  \
         help: give the number of countries the figure draws on, as the source states it, or leave countries_covered out\n"
    );
}

#[test]
fn a_quote_names_facts_that_a_record_of_its_source_states() {
    let quote = |about: &str, supports: &str| {
        check_data(&format!(
            "\n[[quote]]\nid = \"q\"\nsource = \"s\"\ntext = \"The text\"\nabout = \"{about}\"\nsupports = [{supports}]\n"
        ))
    };
    assert_eq!(quote("organisation/o", "\"name\""), "");
    assert_eq!(
        quote("organisation/o", "\"founded\", \"colour\""),
        "data/data.toml:12:13: error: the record of organisation \"o\" from source \"s\" states no founded\n  \
         help: state it in that record, or take it out of supports (the record states: kind, name)\n\
         data/data.toml:12:24: error: \"colour\" is not a field of organisation records that a quote can state\n  \
         help: name one of: kind, name, acronym, description, unit_of, founded, founders, established_under, coordinator, member_count, location, about\n"
    );
    assert_eq!(
        quote("organisation/p", "\"name\""),
        "data/data.toml:11:9: error: unknown organisation \"p\"\n  \
         help: a quote states facts of a record of its own source: correct the id or the source\n"
    );
    assert_eq!(
        quote("country/KEN", "\"name\""),
        "data/data.toml:11:9: error: no fact of country records can be stated by a quote\n  \
         help: a quote states facts of organisation, event, project, work, observation records\n"
    );
}

/// What the checks report on an organisation "p" named by source "s" and classified by the
/// editors (lines 7 to 15 of `data.toml`), then `rest`.
fn check_editorial(rest: &str) -> String {
    let editorial = "[source]\nid = \"tipkg-editorial\"\nkind = \"editorial\"\ntitle = \"E\"\nlanguage = \"en\"\n";
    let data = format!(
        "{ORGANISATION}\n[[organisation]]\nid = \"p\"\nsource = \"s\"\nname = \"P\"\n\n\
         [[organisation]]\nid = \"p\"\nsource = \"tipkg-editorial\"\nkind = \"collaboration\"\n{rest}"
    );
    check_files(&[
        ("sources/s.toml", SOURCE),
        ("sources/s.txt", "The text of the source."),
        ("sources/tipkg-editorial.toml", editorial),
        ("data.toml", &data),
    ])
}

#[test]
fn every_editorial_fact_has_a_judgement_with_a_reason() {
    let judgement = |supports: &str, reason: &str| {
        check_editorial(&format!(
            "\n[[judgement]]\nid = \"j\"\nabout = \"organisation/p\"\nsupports = [{supports}]\nreason = \"{reason}\"\n"
        ))
    };
    assert_eq!(judgement("\"kind\"", "Made of organisations."), "");
    assert_eq!(
        check_editorial(""),
        "data/data.toml:13:6: error: the editorial record of organisation/p states kind with no reason\n  \
         help: add a [[judgement]] with about = \"organisation/p\", supports = [\"kind\"] and reason = \"…\", or move the facts to the record of a source that states them\n"
    );
    assert_eq!(
        judgement("\"name\"", " "),
        "data/data.toml:13:6: error: the editorial record of organisation/p states kind with no reason\n  \
         help: add a [[judgement]] with about = \"organisation/p\", supports = [\"kind\"] and reason = \"…\", or move the facts to the record of a source that states them\n\
         data/data.toml:20:13: error: the record of organisation \"p\" from source \"tipkg-editorial\" states no name\n  \
         help: state it in that record, or take it out of supports (the record states: kind)\n\
         data/data.toml:21:10: error: judgement \"j\" gives no reason\n  \
         help: say what the facts rest on: what the sources state, or the vocabulary's definition they meet\n"
    );
}

/// A legal instrument adopted on 2000-11-15 by organisation "o", then `rest`: its actions
/// start on line 16 of `data.toml`.
fn check_instrument(rest: &str) -> String {
    check_data(&format!(
        "\n[[instrument]]\nid = \"i\"\nsource = \"s\"\nkind = \"protocol\"\nname = \"I\"\n\
         adopted = \"2000-11-15\"\nadopted_by = \"o\"\nsupplements = \"no-convention\"\n\n{rest}"
    ))
}

#[test]
fn an_instrument_names_instruments_and_countries_that_exist() {
    let action =
        "[[instrument.action]]\ncountry = \"XKE\"\nkind = \"accession\"\ndate = \"2005-01-05\"\n";
    assert_eq!(
        check_instrument(action),
        "data/data.toml:14:15: error: unknown legal instrument \"no-convention\"\n  \
         help: define it in a [[instrument]] record, or correct the id\n\
         data/data.toml:17:11: error: unknown country code \"XKE\"\n  \
         help: use an ISO 3166-1 alpha-3 code in upper case, such as \"ROU\"\n"
    );
}

#[test]
fn a_state_takes_each_kind_of_action_once() {
    let actions = "[[instrument]]\nid = \"no-convention\"\nsource = \"s\"\nkind = \"convention\"\nname = \"C\"\n\n\
                   [[instrument.action]]\ncountry = \"KEN\"\nkind = \"signature\"\ndate = \"2000-12-13\"\n\n\
                   [[instrument.action]]\ncountry = \"KEN\"\nkind = \"signature\"\ndate = \"2000-12-14\"\n";
    assert_eq!(
        check_instrument(actions),
        "data/data.toml:29:8: error: signature of \"no-convention\" by KEN is listed twice in this record\n  \
         help: a state takes each kind of action on an instrument once: keep one [[instrument.action]] with the date its source states\n"
    );
}

#[test]
fn a_state_acts_on_an_instrument_once_it_is_adopted() {
    let actions = "[[instrument.action]]\ncountry = \"KEN\"\nkind = \"ratification\"\ndate = \"2000-10\"\n\n\
                   [[instrument.action]]\ncountry = \"ROU\"\nkind = \"signature\"\ndate = \"2000-12-14\"\n\n\
                   [[instrument]]\nid = \"no-convention\"\nsource = \"s\"\nkind = \"convention\"\nname = \"C\"\n";
    assert_eq!(
        check_instrument(actions),
        "data/data.toml:19:8: error: ratification by KEN dated 2000-10, before \"i\" was adopted on 2000-11-15\n  \
         help: correct the date of the action or of the adoption as the sources state them\n"
    );
}
