//! The checks of sources: the file they are in, their values and their text file.

use super::{Check, Checker, Target};
use crate::model::{Event, Organisation, Source};

impl Check for Source {
    fn check(&self, f: usize, checker: &mut Checker<'_, '_>) {
        let parsed = checker.parsed();
        let expected = format!("sources/{}.toml", self.id.get_ref());
        if parsed.file(f).relative != expected {
            checker.error(
                f,
                self.id.span(),
                format!(
                    "source \"{}\" is in {}, not in {expected}",
                    self.id.get_ref(),
                    parsed.file(f).relative
                ),
                "name a source file after its id".into(),
            );
        }
        checker.check_refs(f, &self.publisher, Target::of::<Organisation>());
        checker.check_refs(f, &self.about, Target::of::<Event>());
        checker.check_iris(f, self.url.iter().chain(&self.site));
        checker.check_dates(f, &self.published);
        if let Some(retrieved) = &self.retrieved {
            checker.check_retrieved(f, retrieved, self.published.as_ref());
        }
        checker.check_language(f, &self.language);
        if let Some(text_file) = &self.text_file
            && self.text_path().and_then(|p| parsed.text_of(&p)).is_none()
        {
            checker.error(
                f,
                text_file.span(),
                format!(
                    "text file \"{}\" not found beside the source",
                    text_file.get_ref()
                ),
                format!("put the document's text in sources/{}", text_file.get_ref()),
            );
        }
    }
}
