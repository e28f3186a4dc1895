//! tipkg: a sourced RDF knowledge graph of the work against trafficking in persons.
//!
//! The pipeline runs one way: data files ([`load`]) → typed records ([`model`]) → checks
//! ([`check`]) → quads ([`mapping`], with IRIs from [`iri`]) → an Oxigraph store
//! ([`store`]) → queries ([`query`]) and exports ([`export`]), and into triplestores
//! ([`publish`]).

pub mod catalogue;
pub mod check;
pub mod description;
pub mod diagnostic;
pub mod endpoint;
pub mod error;
pub mod export;
pub mod generate;
pub mod import;
pub mod iri;
pub mod load;
pub mod mapping;
pub mod model;
pub mod origin;
pub mod publish;
pub mod query;
pub mod reference;
pub mod results;
pub mod store;
pub mod validate;
pub mod vocab;

pub use error::{Error, Result};
