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

# step WHAT COMMAND...: runs a step of the test command and says how long it
# took, so that a CI log shows where its time goes.
step() {
	what=$1
	shift
	t0=$(date +%s)
	"$@"
	echo "build.sh: $what took $(($(date +%s) - t0)) s"
}

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
	# The PowerShell tests (tests/powershell/) may not skip here: CI never goes
	# green without having run the agent under pwsh.
	CMHARDEN_REQUIRE_PWSH=1
	export CMHARDEN_REQUIRE_PWSH
	step "install and build" build
	step "static analysis" env JOBS="$JOBS" sh scripts/analyze.sh
	step "make check" make -j"$JOBS" check
	step "make check-valgrind" make check-valgrind
	# The distributed tree, read-only and out of tree, built with ASan+UBSan:
	# make check again, plus install/uninstall and the tarball (make distcheck).
	# The PowerShell tests ran in full above; the sanitizers change nothing on
	# the PowerShell side, so the distributed tree skips them (saying so).
	step "make distcheck (ASan+UBSan)" env CMHARDEN_PWSH_RAN_IN="the plain make check of ./build.sh test" \
		make -j"$JOBS" distcheck DISTCHECK_CONFIGURE_FLAGS="--enable-sanitizers --enable-werror"
	# A short bounded fuzz of every parser of outside input (tests/fuzz/README).
	step "make fuzz" make fuzz FUZZ_SECONDS="${FUZZ_SECONDS:-20}"
	echo "build.sh: all tests passed (static analysis, plain, valgrind, distcheck under ASan+UBSan, fuzzing)"
	;;
*)
	echo "usage: $0 run|test" >&2
	exit 64
	;;
esac
