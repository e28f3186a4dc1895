//! What every layer shares: the error type, diagnostics, the vocabularies and prefixes, the
//! IRIs tipkg mints, and the RDF formats it writes.

pub mod diagnostic;
pub mod error;
pub mod format;
pub mod iri;
pub mod named;
pub mod parallel;
pub mod progress;
pub mod vocab;
