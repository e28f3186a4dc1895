//! The integration tests: one binary, a module per area, each test in its own temporary
//! directory, the real `tipkg` binary run end to end.

mod support;

mod broken;
mod browser;
mod cli;
mod curate;
mod export;
mod graph;
mod ingest;
mod layers;
mod output;
mod publish;
mod queries;
mod readme;
mod scale;
mod serve;
mod show;
mod site;
mod store;
mod validate;
