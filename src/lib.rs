//! tipkg: a sourced RDF knowledge graph of the work against trafficking in persons.
//!
//! The library is layered in pipeline order; a layer uses only the layers listed before it
//! (ARCHITECTURE.md draws them, and `tests/it/layers.rs` holds the code to it):
//! [`base`] (errors, diagnostics, vocabularies, IRIs, formats) → [`net`] (the HTTP client and
//! the triplestores' dialects) → [`model`] (records and reading data files) → [`check`] →
//! [`mapping`] (records → quads) → [`store`] (the Oxigraph store) → [`export`] → [`query`] →
//! [`view`] (one entity's description, plain JSON and CSV) → [`validate`] → [`publish`] →
//! [`serve`] (the linked-data HTTP server) → [`site`] (its pages as a static site) → [`ingest`] (drafts of data from documents).

pub mod base;
pub mod check;
pub mod export;
pub mod ingest;
pub mod mapping;
pub mod model;
pub mod net;
pub mod publish;
pub mod query;
pub mod serve;
pub mod site;
pub mod store;
pub mod validate;
pub mod view;

pub use base::error::{Error, Result};
