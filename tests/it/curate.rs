//! Curation tools: the JSON Schemas and field reference of the data files (`data/schema/`),
//! `tipkg new` and `tipkg diff`.

use crate::support::*;

#[test]
fn schema_files_are_current() {
    for (name, text) in tipkg::model::schema::files() {
        expect_file(&format!("data/schema/{name}"), &text);
    }
}
