//! The floor an export is measured against in the benchmarks: parse an RDF file and
//! serialize it again with Oxigraph's parsers and serializers (oxttl), and no store.
//!
//! `cargo run --release --example floor -- IN.nt OUT.ttl` (formats from the extensions).

use oxigraph::io::{RdfFormat, RdfParser, RdfSerializer};
use std::io::{BufWriter, Write};
use std::path::Path;

fn format(path: &Path) -> RdfFormat {
    path.extension()
        .and_then(|e| RdfFormat::from_extension(&e.to_string_lossy()))
        .unwrap_or_else(|| panic!("unknown RDF extension: {}", path.display()))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, output] = args.as_slice() else {
        return Err("usage: floor IN OUT".into());
    };
    let (input, output) = (Path::new(input), Path::new(output));
    let reader = std::fs::File::open(input)?;
    let writer = BufWriter::new(std::fs::File::create(output)?);
    let mut serializer = RdfSerializer::from_format(format(output)).for_writer(writer);
    for quad in RdfParser::from_format(format(input)).for_reader(reader) {
        serializer.serialize_quad(&quad?)?;
    }
    serializer.finish()?.flush()?;
    Ok(())
}
