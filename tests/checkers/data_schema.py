"""Validates the TOML files of a data directory against the JSON Schemas of data/schema/
with the `jsonschema` package, an independent validator: each file is read with Python's
tomllib, as JSON values, and checked against the schema its `#:schema` line names.

Usage: data_schema.py DATA_DIR. Prints one line per problem; exits 1 if any, else 0."""

import json
import pathlib
import sys
import tomllib

import jsonschema

data = pathlib.Path(sys.argv[1])
files = sorted(data.glob("*.toml")) + sorted(data.glob("sources/*.toml"))
problems = 0
for path in files:
    text = path.read_text(encoding="utf-8")
    first = text.split("\n", 1)[0]
    if not first.startswith("#:schema "):
        print(f"{path}: no #:schema line")
        problems += 1
        continue
    schema_path = (path.parent / first.removeprefix("#:schema ").strip()).resolve()
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema)
    for error in validator.iter_errors(tomllib.loads(text)):
        where = "/".join(str(p) for p in error.absolute_path)
        print(f"{path}: {where}: {error.message}")
        problems += 1
print(f"{len(files)} files checked, {problems} problems", file=sys.stderr)
sys.exit(1 if problems else 0)
