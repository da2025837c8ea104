#!/bin/sh
# The layers of src/ (doc/HACKING.md): a file may include headers of its own
# layer and of the layers below it, never above. ui/ is a front end of the
# core and may include any core header except the command line's (src/cli).
# Exceptions are listed, each with its reason, in tests/cli/layering.allow.
. "$top_srcdir/tests/lib.sh"

# The rank of a layer: lower ranks never include higher ones. journal and
# remedy share a rank below report; see layering.allow for where they meet.
rank() {
	case $1 in
	base) echo 0 ;; content) echo 1 ;; target) echo 2 ;; check) echo 3 ;;
	journal) echo 4 ;; remedy) echo 5 ;; report) echo 6 ;; session) echo 7 ;;
	cli) echo 8 ;; ui) echo 8 ;; *) echo "" ;;
	esac
}
allowed() { grep -v '^#' "$top_srcdir/tests/cli/layering.allow" | grep -qx "$1 $2"; }

checked=0
# For each source file, its layer (the folder under src/, or ui) and every
# layer-qualified include it makes.
for f in "$top_srcdir"/src/*/*.[ch] "$top_srcdir"/ui/*.[ch]; do
	[ -e "$f" ] || continue
	rel=${f#"$top_srcdir"/}
	case $rel in ui/*) layer=ui ;; *) layer=$(echo "$rel" | cut -d/ -f2) ;; esac
	mine=$(rank "$layer")
	[ -n "$mine" ] || { fail "$rel: src/$layer is not a layer of doc/HACKING.md"; continue; }
	checked=$((checked + 1))
	sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f" >"$T/inc"
	while IFS= read -r inc; do
		case $inc in */*) ;; *) continue ;; esac # same folder or config.h
		dep=${inc%%/*}
		theirs=$(rank "$dep")
		if [ -z "$theirs" ]; then
			fail "$rel includes $inc: '$dep' is no layer"
		elif [ "$layer" = ui ] && [ "$dep" = cli ]; then
			allowed "$rel" "$inc" || fail "$rel includes $inc: the wizard may not use the command line"
		elif [ "$layer" != ui ] && [ "$theirs" -gt "$mine" ] && [ "$layer" != "$dep" ]; then
			allowed "$rel" "$inc" || fail "$rel includes $inc: $layer may not use $dep (a higher layer)"
		fi
	done <"$T/inc"
done
[ "$checked" -gt 50 ] && pass "$checked source files are in a layer" || fail "only $checked files checked"

# Every exception still exists (a stale one would hide the next violation).
grep -v '^#' "$top_srcdir/tests/cli/layering.allow" | while read -r file inc; do
	[ -n "$file" ] || continue
	grep -q "#include \"$inc\"" "$top_srcdir/$file" || echo "$file $inc" >>"$T/stale"
done
[ -s "$T/stale" ] && fail "stale exceptions in layering.allow: $(cat "$T/stale")" || pass "every exception is still needed"
[ "$fails" -eq 0 ] && pass "no file includes a header from a layer above it"
finish
