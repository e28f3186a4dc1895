//! What the data files may hold, described from the serde types themselves: the JSON
//! Schemas that editors check data files against (`data/schema/*.json`, named by each
//! file's `#:schema` directive), the field reference (`data/schema/README.md`) and the
//! skeleton records of `tipkg new`.
//!
//! Every kind of the registry is described by its `JsonSchema` (schemars, which reads the
//! serde attributes and the doc comments); the order of its fields, which JSON Schema
//! objects do not keep, is read from serde itself (`field_orders`), so that the reference
//! and the skeletons list fields as the types declare them.

use crate::model::load::{self, DataRoot};
use crate::model::{Place, Record, Visit, each_kind};
use schemars::generate::SchemaSettings;
use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The folder of the data directory that holds the schemas and the field reference.
pub const FOLDER: &str = "schema";
/// The schema of the data files at the top of the data directory.
pub const DATA_FILE: &str = "data-file.json";
/// The schema of the source files under `sources/`.
pub const SOURCE_FILE: &str = "source-file.json";

/// The `#:schema` directive (taplo's, which Even Better TOML follows) that a data file of
/// this place starts with: a path relative to the file.
pub fn directive(place: Place) -> String {
    match place {
        Place::DataFile => format!("#:schema ./{FOLDER}/{DATA_FILE}"),
        Place::SourceFile => format!("#:schema ../{FOLDER}/{SOURCE_FILE}"),
    }
}

/// One field of a kind (or of a table nested in it), as the reference and skeletons show it.
#[derive(Debug, Clone)]
pub struct Field {
    pub name: String,
    pub required: bool,
    /// What is written: `string`, `list of strings`, `one of "a", "b"`…
    pub shape: Shape,
    /// The field's meaning, from its doc comment.
    pub description: String,
}

/// What a field's value is written as.
#[derive(Debug, Clone)]
pub enum Shape {
    String,
    Number,
    Integer,
    Choice(Vec<String>),
    List(Box<Shape>),
    /// Tables of their own (`[[event.participant]]`), with their fields.
    Tables(String, Vec<Field>),
}

impl Shape {
    /// The shape in words.
    pub fn describe(&self) -> String {
        match self {
            Shape::String => "string".into(),
            Shape::Number => "number".into(),
            Shape::Integer => "integer".into(),
            Shape::Choice(values) => {
                let quoted: Vec<String> = values.iter().map(|v| format!("\"{v}\"")).collect();
                format!("one of {}", quoted.join(", "))
            }
            Shape::List(item) => format!("list of {}s", item.describe()),
            Shape::Tables(..) => "tables (below)".into(),
        }
    }

    /// A value of this shape to start from in a skeleton.
    pub fn placeholder(&self) -> String {
        match self {
            Shape::String => "\"\"".into(),
            Shape::Number | Shape::Integer => "0".into(),
            Shape::Choice(values) => format!("\"{}\"", values.first().map_or("", String::as_str)),
            Shape::List(_) | Shape::Tables(..) => "[]".into(),
        }
    }
}

/// A kind of record as data files write it.
#[derive(Debug, Clone)]
pub struct KindDoc {
    pub table: &'static str,
    pub place: Place,
    pub description: String,
    pub fields: Vec<Field>,
}

/// Every kind of the registry, in order, with its fields.
pub fn kinds() -> Vec<KindDoc> {
    let generator = Described::new();
    generator.kinds
}

struct Described {
    kinds: Vec<KindDoc>,
    /// The definitions of the types the kinds use, by name.
    definitions: Map<String, Value>,
    /// The fields of each struct in declaration order, by struct name.
    orders: BTreeMap<&'static str, &'static [&'static str]>,
    /// Each kind's schema (a `$ref` into `definitions`), by table.
    refs: Vec<(&'static str, Place, Value)>,
}

impl Described {
    fn new() -> Self {
        struct Collect {
            generator: schemars::SchemaGenerator,
            orders: BTreeMap<&'static str, &'static [&'static str]>,
            refs: Vec<(&'static str, Place, Value)>,
        }
        impl<K: Record> Visit<K> for Collect {
            fn visit(&mut self) {
                let schema = self.generator.subschema_for::<K>();
                self.refs.push((K::TABLE, K::PLACE, schema.to_value()));
                field_orders::<K>(&mut self.orders);
            }
        }
        let mut collect = Collect {
            generator: settings().into_generator(),
            orders: BTreeMap::new(),
            refs: Vec::new(),
        };
        each_kind(&mut collect);
        let definitions = collect.generator.take_definitions(true);
        let mut described = Self {
            kinds: Vec::new(),
            definitions,
            orders: collect.orders,
            refs: collect.refs,
        };
        described.kinds = described
            .refs
            .iter()
            .map(|(table, place, schema)| {
                let name = ref_name(schema).unwrap_or_default();
                let definition = described
                    .definitions
                    .get(&name)
                    .cloned()
                    .unwrap_or_default();
                KindDoc {
                    table,
                    place: *place,
                    description: text(&definition, "description"),
                    fields: described.fields(&name, &definition),
                }
            })
            .collect();
        described
    }

    /// The fields of the object schema `definition` of struct `name`, in declaration order.
    fn fields(&self, name: &str, definition: &Value) -> Vec<Field> {
        let properties = definition["properties"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        let required: Vec<&str> = definition["required"]
            .as_array()
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let mut names: Vec<String> = properties.keys().cloned().collect();
        if let Some(order) = self.orders.get(name) {
            names.sort_by_key(|n| order.iter().position(|o| o == n).unwrap_or(usize::MAX));
        }
        names
            .into_iter()
            .map(|field| {
                let schema = &properties[&field];
                Field {
                    required: required.contains(&field.as_str()),
                    shape: self.shape(schema),
                    description: text(schema, "description"),
                    name: field,
                }
            })
            .collect()
    }

    fn shape(&self, schema: &Value) -> Shape {
        if let Some(name) = ref_name(schema) {
            let definition = &self.definitions[&name];
            return if definition.get("properties").is_some() {
                Shape::Tables(name.clone(), self.fields(&name, definition))
            } else {
                self.shape(definition)
            };
        }
        if let Some(values) = schema["enum"].as_array() {
            let values = values.iter().filter_map(Value::as_str).map(str::to_owned);
            return Shape::Choice(values.collect());
        }
        // A described reference, `allOf [T]`; `Option<T>`, `anyOf [T, null]`.
        if let Some(inner) = schema["allOf"].as_array().and_then(|all| all.first()) {
            return self.shape(inner);
        }
        if let Some(inner) = schema["anyOf"]
            .as_array()
            .and_then(|any| any.iter().find(|s| s["type"] != "null"))
        {
            return self.shape(inner);
        }
        let kind = match &schema["type"] {
            Value::Array(types) => types
                .iter()
                .filter_map(Value::as_str)
                .find(|t| *t != "null")
                .unwrap_or("string")
                .to_owned(),
            Value::String(t) => t.clone(),
            _ => "string".into(),
        };
        match kind.as_str() {
            "array" => match self.shape(&schema["items"]) {
                tables @ Shape::Tables(..) => tables,
                item => Shape::List(Box::new(item)),
            },
            "number" => Shape::Number,
            "integer" => Shape::Integer,
            _ => Shape::String,
        }
    }
}

fn settings() -> SchemaSettings {
    SchemaSettings::draft07()
}

fn ref_name(schema: &Value) -> Option<String> {
    let reference = schema["$ref"].as_str()?;
    Some(reference.rsplit('/').next()?.to_owned())
}

fn text(schema: &Value, key: &str) -> String {
    schema[key]
        .as_str()
        .unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The JSON Schema of the files of one place: a data file (any mix of arrays of tables,
/// one per kind) or a source file (one `[source]` table).
pub fn file_schema(place: Place) -> Value {
    let described = Described::new();
    let mut properties = Map::new();
    let mut required = Vec::new();
    for (table, kind_place, schema) in &described.refs {
        if *kind_place != place {
            continue;
        }
        let value = match place {
            Place::DataFile => json!({ "type": "array", "items": schema }),
            Place::SourceFile => {
                required.push(Value::from(*table));
                schema.clone()
            }
        };
        properties.insert((*table).to_owned(), value);
    }
    let (title, description) = match place {
        Place::DataFile => (
            "tipkg data file",
            "A data file at the top of a tipkg data directory: arrays of tables, one array per kind of record; a file may hold any mix of kinds.",
        ),
        Place::SourceFile => (
            "tipkg source file",
            "A source file under `sources/` of a tipkg data directory: one [source] table, in a file named after its id.",
        ),
    };
    let mut schema = json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": title,
        "description": description,
        "type": "object",
        "additionalProperties": false,
        "properties": properties,
    });
    if !required.is_empty() {
        schema["required"] = Value::from(required);
    }
    // Only the definitions this file's kinds use: the others' would be clutter.
    let text = schema.to_string();
    let mut used: Map<String, Value> = Map::new();
    let mut pending: Vec<String> = described.definitions.keys().cloned().collect();
    let mut searched = text.clone();
    while let Some(name) = pending.pop() {
        if used.contains_key(&name) || !searched.contains(&format!("/definitions/{name}\"")) {
            continue;
        }
        let definition = described.definitions[&name].clone();
        searched.push_str(&definition.to_string());
        used.insert(name, definition);
        pending = described
            .definitions
            .keys()
            .filter(|n| !used.contains_key(*n))
            .cloned()
            .collect();
    }
    schema["definitions"] = Value::Object(used);
    schema
}

/// The files of `data/schema/`, by name, as the types give them now.
pub fn files() -> Vec<(&'static str, String)> {
    let json = |place| {
        let mut text = serde_json::to_string_pretty(&file_schema(place)).unwrap_or_default();
        text.push('\n');
        text
    };
    vec![
        (DATA_FILE, json(Place::DataFile)),
        (SOURCE_FILE, json(Place::SourceFile)),
        ("README.md", reference()),
    ]
}

/// The field reference: every kind and its fields, with their meaning and an example from
/// the bundled data.
pub fn reference() -> String {
    let examples = Examples::bundled();
    let mut out = String::from(
        "# Data file reference\n\n\
         Generated from the record types (`src/model/`) with the JSON Schemas beside it; do not \
         edit (`UPDATE_EXPECT=1 cargo test --test it curate::` rewrites all three).\n\n\
         Every data file starts with a `#:schema` line that names its schema, so that editors \
         with a TOML language server (taplo, Even Better TOML) complete and check fields as \
         they are typed:\n\n\
         - the files at the top of the data directory: `",
    );
    let _ = write!(
        out,
        "{}`\n- the files of `sources/`: `{}`\n\n\
         `tipkg new KIND ID` appends a record of a kind with every field, the optional ones \
         commented out.\n",
        directive(Place::DataFile),
        directive(Place::SourceFile)
    );
    for kind in kinds() {
        let header = match kind.place {
            Place::DataFile => format!("[[{}]]", kind.table),
            Place::SourceFile => format!("[{}]", kind.table),
        };
        let _ = write!(out, "\n## `{header}`\n\n{}\n\n", kind.description);
        if kind.place == Place::SourceFile {
            out.push_str("One per file, `sources/ID.toml`.\n\n");
        }
        write_fields(&mut out, kind.table, &kind.fields, &examples);
    }
    out
}

fn write_fields(out: &mut String, path: &str, fields: &[Field], examples: &Examples) {
    out.push_str("| field | value | meaning | example |\n|---|---|---|---|\n");
    let mut nested = Vec::new();
    for field in fields {
        let required = if field.required { " (required)" } else { "" };
        let example = examples
            .get(path, &field.name)
            .map(|e| format!("`{}`", e.replace('|', "\\|")))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "| `{}`{required} | {} | {} | {example} |",
            field.name,
            field.shape.describe().replace('|', "\\|"),
            field.description.replace('|', "\\|"),
        );
        if let Shape::Tables(_, fields) = &field.shape {
            nested.push((format!("{path}.{}", field.name), fields));
        }
    }
    for (path, fields) in nested {
        let _ = write!(out, "\n### `[[{path}]]`\n\n");
        write_fields(out, &path, fields, examples);
    }
}

/// A record of kind `table` to start from: its header, `id` (and `source`, when given)
/// filled in, and every other field commented out with its meaning, the required ones
/// marked so. The loader reports each required field as missing until it is written, so
/// the record does not build before a curator has filled it in.
pub fn skeleton(table: &str, id: &str, source: Option<&str>) -> Option<String> {
    let kind = kinds().into_iter().find(|k| k.table == table)?;
    let mut out = String::new();
    match kind.place {
        Place::DataFile => {
            let _ = writeln!(out, "[[{table}]]");
        }
        Place::SourceFile => {
            let _ = writeln!(out, "{}\n[{table}]", directive(Place::SourceFile));
        }
    }
    write_skeleton_fields(&mut out, table, &kind.fields, id, source, "");
    Some(out)
}

fn write_skeleton_fields(
    out: &mut String,
    path: &str,
    fields: &[Field],
    id: &str,
    source: Option<&str>,
    comment: &str,
) {
    let mut nested = Vec::new();
    for (index, field) in fields.iter().enumerate() {
        let value = match (index, field.name.as_str()) {
            (0, _) if comment.is_empty() => Some(id),
            (_, "source") if comment.is_empty() => source,
            _ => None,
        };
        if let Some(value) = value {
            let _ = writeln!(out, "{} = {}", field.name, toml::Value::from(value));
            continue;
        }
        if let Shape::Tables(_, fields) = &field.shape {
            nested.push((field, fields));
            continue;
        }
        let required = if field.required { "required: " } else { "" };
        let _ = writeln!(out, "# {required}{}", field.description);
        if let Shape::Choice(_) = field.shape {
            let _ = writeln!(out, "#   ({})", field.shape.describe());
        }
        let _ = writeln!(out, "# {} = {}", field.name, field.shape.placeholder());
    }
    for (field, fields) in nested {
        let nested_path = format!("{path}.{}", field.name);
        let _ = writeln!(out, "# {}", field.description);
        let _ = writeln!(out, "# [[{nested_path}]]");
        write_skeleton_fields(out, &nested_path, fields, id, source, "#");
    }
}

/// The first value of every field in the bundled data, written as TOML.
struct Examples(BTreeMap<String, String>);

impl Examples {
    fn bundled() -> Self {
        let mut found = BTreeMap::new();
        for file in load::read(&DataRoot::Bundled).unwrap_or_default() {
            if !file.relative.ends_with(".toml") {
                continue;
            }
            let Ok(table) = file.text.parse::<toml::Table>() else {
                continue;
            };
            for (name, value) in table {
                match value {
                    toml::Value::Array(records) => {
                        for record in records {
                            Self::collect(&name, &record, &mut found);
                        }
                    }
                    record => Self::collect(&name, &record, &mut found),
                }
            }
        }
        Self(found)
    }

    fn collect(path: &str, record: &toml::Value, found: &mut BTreeMap<String, String>) {
        let Some(table) = record.as_table() else {
            return;
        };
        for (field, value) in table {
            let key = format!("{path}.{field}");
            let nested = value
                .as_array()
                .filter(|items| items.first().is_some_and(toml::Value::is_table));
            if let Some(items) = nested {
                for item in items {
                    Self::collect(&key, item, found);
                }
                continue;
            }
            let empty = value.as_array().is_some_and(Vec::is_empty);
            if !empty && !found.contains_key(&key) {
                found.insert(key, shorten(value));
            }
        }
    }

    fn get(&self, path: &str, field: &str) -> Option<&str> {
        self.0.get(&format!("{path}.{field}")).map(String::as_str)
    }
}

/// A value as TOML, its strings cut to a few words so that the table stays readable.
fn shorten(value: &toml::Value) -> String {
    const LIMIT: usize = 48;
    match value {
        toml::Value::String(s) if s.chars().count() > LIMIT => {
            let cut: String = s.chars().take(LIMIT).collect();
            format!(
                "{}…\"",
                toml::Value::String(cut).to_string().trim_end_matches('"')
            )
        }
        toml::Value::Array(items) if items.len() > 2 => {
            let first: Vec<String> = items.iter().take(2).map(shorten).collect();
            format!("[{}, …]", first.join(", "))
        }
        toml::Value::Array(items) => {
            let all: Vec<String> = items.iter().map(shorten).collect();
            format!("[{}]", all.join(", "))
        }
        other => other.to_string(),
    }
}

/// Records the fields of every struct that deserialising a `K` meets, in declaration
/// order, by struct name: serde hands them to `deserialize_struct`.
pub fn field_orders<'de, K: serde::Deserialize<'de>>(
    orders: &mut BTreeMap<&'static str, &'static [&'static str]>,
) {
    // The recorder answers every request with a stand-in value, so the result is
    // a record of nothing; only what it saw on the way matters.
    let _ = K::deserialize(Recorder { orders });
}

struct Recorder<'a> {
    orders: &'a mut BTreeMap<&'static str, &'static [&'static str]>,
}

impl Recorder<'_> {
    fn again(&mut self) -> Recorder<'_> {
        Recorder {
            orders: &mut *self.orders,
        }
    }
}

type RecordError = de::value::Error;

impl<'de> de::Deserializer<'de> for Recorder<'_> {
    type Error = RecordError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_borrowed_str("")
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_bool(false)
    }

    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_u64(0)
    }

    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_u64(0)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_f64(0.0)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_some(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_seq(One {
            recorder: self,
            done: false,
        })
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.orders.insert(name, fields);
        visitor.visit_map(Fields {
            recorder: self,
            fields,
            next: 0,
        })
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        let first = variants.first().copied().unwrap_or_default();
        visitor.visit_enum(first.into_deserializer())
    }

    serde::forward_to_deserialize_any! {
        i8 i16 i32 i64 i128 u8 u16 u128 f32 char str string bytes byte_buf unit
        unit_struct newtype_struct tuple tuple_struct map identifier ignored_any
    }
}

/// A list of one stand-in element, so that the element's type is visited too.
struct One<'a> {
    recorder: Recorder<'a>,
    done: bool,
}

impl<'de> de::SeqAccess<'de> for One<'_> {
    type Error = RecordError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Self::Error> {
        if self.done {
            return Ok(None);
        }
        self.done = true;
        seed.deserialize(self.recorder.again()).map(Some)
    }
}

/// Every field of a struct, each with a stand-in value.
struct Fields<'a> {
    recorder: Recorder<'a>,
    fields: &'static [&'static str],
    next: usize,
}

impl<'de> de::MapAccess<'de> for Fields<'_> {
    type Error = RecordError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        let Some(field) = self.fields.get(self.next) else {
            return Ok(None);
        };
        self.next += 1;
        let key = de::value::BorrowedStrDeserializer::<RecordError>::new(field);
        seed.deserialize(key).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Self::Error> {
        seed.deserialize(self.recorder.again())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Event, Participant};

    #[test]
    fn field_order_is_the_declared_order() {
        let mut orders = BTreeMap::new();
        field_orders::<Event>(&mut orders);
        assert_eq!(orders["Event"][..3], ["id", "source", "kind"]);
        assert_eq!(orders["Participant"][0], "organisation");
        let _ = std::mem::size_of::<Participant>();
    }

    #[test]
    fn every_kind_is_described_with_every_field() {
        let kinds = kinds();
        assert_eq!(kinds.len(), crate::model::tables(Place::DataFile).len() + 1);
        for kind in &kinds {
            assert!(
                !kind.description.is_empty(),
                "{} has no doc comment",
                kind.table
            );
            assert_eq!(
                kind.fields[0].name,
                if kind.table == "country" {
                    "code"
                } else {
                    "id"
                }
            );
            for field in &kind.fields {
                assert!(
                    !field.description.is_empty(),
                    "{}.{} has no doc comment",
                    kind.table,
                    field.name
                );
            }
        }
        let event = kinds.iter().find(|k| k.table == "event").unwrap();
        let participant = event
            .fields
            .iter()
            .find(|f| f.name == "participant")
            .unwrap();
        let Shape::Tables(_, fields) = &participant.shape else {
            panic!("participants are tables: {participant:?}");
        };
        assert!(fields.iter().any(|f| f.name == "role" && f.required));
    }
}
