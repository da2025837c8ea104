#!/bin/sh
# make bench: evaluation time and peak memory of the whole checklist, on the
# default lab and on a generated large site, and the wizard's cost per
# keystroke. Figures are printed, not asserted.
set -eu
builddir=$1
export CMHARDEN_CONTENT="${2:-$(dirname "$0")/..}"
B="$builddir/tests/bench/bench_engine"
home=$(mktemp -d "${TMPDIR:-/tmp}/cmh-bench-XXXXXX")
trap 'rm -rf "$home"' EXIT
export XDG_DATA_HOME="$home/data"
mkdir -p "$XDG_DATA_HOME"
echo "== the wizard: time per keystroke (handling + drawing a frame; virtual 80x24 screen, output discarded) =="
LC_ALL=C.UTF-8 TERM=xterm-256color USER=bench "$builddir/cmharden" wizard --script "$CMHARDEN_CONTENT/tests/bench/bench_wizard.keys" \
	--dump-dir "$home" --size 80x24 --bench
echo "== evaluation of the full checklist (engine only; lab state in SQLite) =="
"$B" eval lab:default 200
"$B" eval lab:hardened 200
echo "== generated large site: 50,000 advertisements, 50,000 programs, 5,000 packages, 2,000 collections =="
"$B" gen "$home"
"$B" eval "lab:$home/large.yaml" 5
echo "== through the agent protocol: the same runs with cmharden agent --lab on a pipe =="
echo "   (one agent process per session; target_open includes starting it and the hello)"
"$B" eval "agent:$builddir/cmharden agent --lab default" 200
"$B" eval "agent:$builddir/cmharden agent --lab $home/large.yaml" 5
echo "== whole commands, wall clock, median of 11: cmharden check --format json =="
wall() { # LABEL TARGET...
	label=$1
	shift
	for i in 1 2 3 4 5 6 7 8 9 10 11; do
		s=$(date +%s%N)
		"$builddir/cmharden" --target "$*" check --format json >/dev/null || true
		e=$(date +%s%N)
		echo $(((e - s) / 1000))
	done | sort -n | sed -n 6p | awk -v l="$label" '{ printf "%-44s median %.1f ms\n", l, $1 / 1000 }'
}
wall "lab:default (in process)" lab:default
wall "agent:cmharden agent --lab default" "agent:$builddir/cmharden agent --lab default"
