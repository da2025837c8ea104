# Shared helpers for the shell tests. Each test runs with a private
# XDG_DATA_HOME (tests/env.sh), so labs start fresh.
set -u
: "${CMHARDEN:?the test harness sets CMHARDEN}"
fails=0
pass() { printf 'ok   %s\n' "$1"; }
fail() { printf 'FAIL %s\n' "$1"; fails=$((fails + 1)); }
# expect_rc WANT DESC -- CMD...
expect_rc() {
	want=$1 desc=$2
	shift 3
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
	if [ "$rc" -eq "$want" ]; then pass "$desc"; else
		fail "$desc (exit $rc, want $want)"
		sed 's/^/    | /' "$T/err" | head -20
	fi
}
contains() { if grep -q -- "$2" "$1"; then pass "$3"; else fail "$3 (no '$2' in $1)"; head -20 "$1" | sed 's/^/    | /'; fi; }
lacks() { if grep -q -- "$2" "$1"; then fail "$3 ('$2' found)"; grep -- "$2" "$1" | head -5 | sed 's/^/    | /'; else pass "$3"; fi; }
T=$(mktemp -d "${TMPDIR:-/tmp}/cmh-sh-XXXXXX")
trap 'rm -rf "$T"' EXIT
# A JSON report matches doc/report.schema.json (python3-jsonschema).
validate_report_json() { # FILE
	if ! "${PYTHON3:-python3}" -c 'import jsonschema' 2>/dev/null; then
		echo "skip the schema of $1: python3-jsonschema is missing (scripts/install-deps.sh)"
		return 0
	fi
	if "${PYTHON3:-python3}" - "$top_srcdir/doc/report.schema.json" "$1" >"$T/schema.out" 2>&1 <<'PYEOF'; then
import json, sys, jsonschema
v = jsonschema.Draft202012Validator(json.load(open(sys.argv[1])))
errs = ['%s: %s' % ('/'.join(map(str, e.path)), e.message[:200]) for e in v.iter_errors(json.load(open(sys.argv[2])))]
print('\n'.join(errs))
sys.exit(1 if errs else 0)
PYEOF
		pass "$1 validates against the report schema"
	else
		fail "$1 does not match the report schema"
		head -20 "$T/schema.out" | sed 's/^/    | /'
	fi
}
finish() { [ "$fails" -eq 0 ] && exit 0; echo "$fails failure(s)"; exit 1; }
