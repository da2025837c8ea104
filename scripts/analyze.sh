#!/bin/sh
# Static analysis, run by `./build.sh test` after the build: cppcheck over
# src/ and ui/, and clang's analyzer (scan-build) over a fresh build of the
# distributed tree (the source tree is configured in place, so the analyzer
# builds a copy). Any finding of either fails the run. What is suppressed,
# and why, is in scripts/cppcheck.supp; the analyzer has no suppressions.
set -eu
cd "$(dirname "$0")/.."

scan_build=$(command -v scan-build || ls /usr/bin/scan-build-[0-9]* 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$scan_build" ] || ! command -v cppcheck >/dev/null 2>&1; then
	echo "analyze: scan-build (clang-tools) and cppcheck are needed (scripts/install-deps.sh)" >&2
	exit 1
fi

echo "analyze: cppcheck src ui"
cppcheck --quiet -j"${JOBS:-2}" --std=c11 --enable=warning,portability --inline-suppr -I. -Isrc -Iui \
	--suppressions-list=scripts/cppcheck.supp --template='{file}:{line}: {severity} ({id}): {message}' \
	--error-exitcode=1 src ui

echo "analyze: $scan_build over a copy of the distributed tree"
work=_build-analyze
rm -rf "$work" _analyze-tree
make -s distdir distdir=_analyze-tree >/dev/null
mkdir -p "$work"
mv _analyze-tree "$work/tree"
(
	cd "$work/tree"
	"$scan_build" ./configure --enable-werror >../configure.log 2>&1 || { tail -20 ../configure.log >&2; exit 1; }
	"$scan_build" -o ../report --status-bugs make -j"${JOBS:-2}" >../make.log 2>&1 || {
		grep -E 'warning:|error:' ../make.log >&2 || tail -20 ../make.log >&2
		echo "analyze: the analyzer found something; the report is in $work/report" >&2
		exit 1
	}
)
rm -rf "$work"
echo "analyze: no findings"
