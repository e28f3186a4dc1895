//! The network: the one HTTP client ([`http`]), its authentication ([`auth`]), and what
//! tipkg knows about each kind of triplestore ([`target`]).

pub mod auth;
pub mod http;
pub mod target;
