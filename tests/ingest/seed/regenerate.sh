#!/usr/bin/env bash
# Rewrites review.patch: the curator's review of the draft of the seed article, as the
# difference between the draft (`tipkg ingest` of the article's text into the bundled data
# without the article) and the article's records as the bundled data holds them.
# Run from the repository root after a change of the draft's output; read the diff.
set -euo pipefail
seed=icat-2023-06-access-to-justice-for-children
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r data "$work/data"
rm "$work/data/sources/$seed.toml" "$work/data/sources/$seed.txt"
mkdir -p "$work/draft" "$work/reviewed/sources"
cp "data/sources/$seed.toml" "data/sources/$seed.txt" "$work/reviewed/sources/"
python3 - "$work" "$seed" <<'PY'
import glob, sys
work, seed = sys.argv[1], sys.argv[2]
kept_blocks = []
for path in sorted(glob.glob(f"{work}/data/*.toml")):
    blocks = [""]
    for line in open(path).read().splitlines():
        if line.startswith("[[") and "." not in line[2:]:
            blocks.append("")
        blocks[-1] += line + "\n"
    mine = [b for b in blocks if f'source = "{seed}"' in b.splitlines()]
    open(path, "w").write("".join(b for b in blocks if b not in mine))
    for b in mine:
        lines = b.rstrip("\n").splitlines()
        while lines and (not lines[-1].strip() or lines[-1].startswith("#")):
            lines.pop()
        kept_blocks.append("\n".join(lines))
with open(f"{work}/reviewed/{seed}.toml", "w") as out:
    out.write('#:schema ./schema/data-file.json\n')
    out.write(f'# The records of the source "{seed}", as reviewed.\n\n')
    out.write("\n\n".join(kept_blocks) + "\n")
PY
cargo run -q -- ingest "data/sources/$seed.txt" --id "$seed" --publisher icat \
  --published 2023-06-19 --retrieved 2026-12-01 --data "$work/data" --into "$work/draft" -q
(cd "$work" && diff -ruN draft reviewed) > tests/ingest/seed/review.patch || true
