#!/bin/sh
# Copies the seed inputs (feature fixtures and pinned specs) into the front_end corpus.
# Run from anywhere: fuzz/seed-corpus.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$here/corpus/front_end"
cp "$here"/../tests/fixtures/*.csdl.xml "$here"/../specs/*.xml "$here/corpus/front_end/"
ls "$here/corpus/front_end" | wc -l
