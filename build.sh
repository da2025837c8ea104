#!/bin/sh
# The two commands of the README's quick start:
#   ./build.sh run    install what is missing, build, start cmharden on the built-in lab
#   ./build.sh test   install what is missing, build, run the whole test suite:
#                     static analysis (cppcheck, clang's scan-build), make check, the unit tests under valgrind, make distcheck
#                     (make check again in the distributed tree, built with ASan+UBSan),
#                     and each fuzz harness for FUZZ_SECONDS (default 20) seconds
set -eu
cd "$(dirname "$0")"
JOBS=$(nproc 2>/dev/null || echo 2)

build() {
	sh scripts/install-deps.sh
	[ -x configure ] || ./autogen.sh
	[ -f Makefile ] || ./configure --enable-werror
	make -j"$JOBS"
}

case "${1:-run}" in
run)
	build
	shift 2>/dev/null || true
	exec ./cmharden "$@"
	;;
test)
	build
	JOBS=$JOBS sh scripts/analyze.sh
	make -j"$JOBS" check
	make check-valgrind
	# The distributed tree, read-only and out of tree, built with ASan+UBSan:
	# make check again, plus install/uninstall and the tarball (make distcheck).
	make -j"$JOBS" distcheck DISTCHECK_CONFIGURE_FLAGS="--enable-sanitizers --enable-werror"
	# A short bounded fuzz of every parser of outside input (tests/fuzz/README).
	make fuzz FUZZ_SECONDS="${FUZZ_SECONDS:-20}"
	echo "build.sh: all tests passed (static analysis, plain, valgrind, distcheck under ASan+UBSan, fuzzing)"
	;;
*)
	echo "usage: $0 run|test" >&2
	exit 64
	;;
esac
