#!/bin/sh
# make bench: evaluation time and peak memory of the whole checklist, on the
# default lab and on a generated large site. Figures are printed, not asserted.
set -eu
builddir=$1
export CMHARDEN_CONTENT="${2:-$(dirname "$0")/..}"
B="$builddir/tests/bench_engine"
home=$(mktemp -d "${TMPDIR:-/tmp}/cmh-bench-XXXXXX")
trap 'rm -rf "$home"' EXIT
export XDG_DATA_HOME="$home/data"
mkdir -p "$XDG_DATA_HOME"
echo "== evaluation of the full checklist (engine only; lab state in SQLite) =="
"$B" eval lab:default 200
"$B" eval lab:hardened 200
echo "== generated large site: 50,000 advertisements, 50,000 programs, 5,000 packages, 2,000 collections =="
"$B" gen "$home"
"$B" eval "lab:$home/large.yaml" 5
