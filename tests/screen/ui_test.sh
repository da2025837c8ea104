#!/bin/sh
# Screen tests of the wizard: every tests/screen/ui/NAME.keys is run in scripted mode
# (the real screens on a virtual terminal, keys from the file) and each screen
# it dumps is compared with tests/screen/ui/NAME/DUMP.txt. GENERATE=1 rewrites the
# expected dumps after an intended change (review the diff before committing).
# ONLY=NAME runs one script.
#
# Directives in a .keys file (comment lines):
#   # size: COLSxROWS         the virtual terminal (default 80x24)
#   # env: VAR=VALUE ...      extra environment (NO_COLOR=1, LC_ALL=C, LANGUAGE=de ...)
#   # target: SPEC            --target (relative paths are from the source tree)
#   # setup: SHELL COMMAND    run before the wizard, with 'cmharden' on PATH
#                             and the same data directory (its status is ignored)
# Every run gets a fresh data directory, USER=tester and CMHARDEN_TODAY, so the
# dumps do not depend on the machine; times of day are masked in the dumps.
. "$top_srcdir/tests/lib.sh"

dir="$top_srcdir/tests/screen/ui"
bin="$T/bin"
mkdir -p "$bin"
ln -s "$CMHARDEN" "$bin/cmharden"

# The catalogs, compiled for CMHARDEN_LOCALEDIR (LANGUAGE=de in a script's env).
for p in "$top_srcdir"/po/*.po; do
	lang=$(basename "$p" .po)
	mkdir -p "$T/locale/$lang/LC_MESSAGES"
	msgfmt -o "$T/locale/$lang/LC_MESSAGES/cmharden.mo" "$p" || fail "msgfmt $p"
done
# ... and the content's catalogs, so a German run shows the content in German too.
for p in "$top_srcdir"/po-content/*.po; do
	lang=$(basename "$p" .po)
	mkdir -p "$T/locale/$lang/LC_MESSAGES"
	msgfmt -o "$T/locale/$lang/LC_MESSAGES/cmharden-content.mo" "$p" || fail "msgfmt $p"
done

mask() { sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}/YYYY-MM-DD hh:mm:ss/g' "$1"; }
directive() { sed -n "s/^# $1: //p" "$2"; }

n=0
for keys in "$dir"/*.keys; do
	name=$(basename "$keys" .keys)
	[ -n "${ONLY:-}" ] && [ "$ONLY" != "$name" ] && continue
	n=$((n + 1))
	home="$T/$name.home"
	out="$T/$name.out"
	mkdir -p "$home/data" "$out"
	size=$(directive size "$keys" | tail -1)
	target=$(directive target "$keys" | tail -1)
	extra=$(directive env "$keys" | tr '\n' ' ')
	base="PATH=$bin:/usr/bin:/bin HOME=$home XDG_DATA_HOME=$home/data LC_ALL=C.UTF-8 TERM=xterm-256color
USER=tester CMHARDEN_CONTENT=$CMHARDEN_CONTENT CMHARDEN_TODAY=2026-11-25 CMHARDEN_LOCALEDIR=$T/locale"
	directive setup "$keys" | while IFS= read -r cmd; do
		# shellcheck disable=SC2086
		env -i $base sh -c "$cmd" >"$out/.setup.log" 2>&1
	done
	# shellcheck disable=SC2086
	if ! (cd "$top_srcdir" && env -i $base $extra "$CMHARDEN" ${target:+--target "$target"} wizard \
		--script "$keys" --dump-dir "$out" --size "${size:-80x24}") >"$out/.stdout" 2>"$out/.stderr"; then
		fail "$name: the wizard failed"
		sed 's/^/    | /' "$out/.stderr" | head -20
		continue
	fi
	if [ "${GENERATE:-0}" = 1 ]; then
		rm -rf "${dir:?}/$name"
		mkdir -p "$dir/$name"
		for d in "$out"/*.txt; do
			[ -e "$d" ] && mask "$d" >"$dir/$name/$(basename "$d")"
		done
		pass "$name: expected dumps written"
		continue
	fi
	for want in "$dir/$name"/*.txt; do
		[ -e "$want" ] || { fail "$name: no expected dumps (run with GENERATE=1)"; break; }
		d=$(basename "$want")
		if [ ! -e "$out/$d" ]; then
			fail "$name/$d: the script did not dump this screen"
		elif mask "$out/$d" | cmp -s - "$want"; then
			pass "$name/$d"
		else
			fail "$name/$d differs from the expected screen"
			mask "$out/$d" | diff -u "$want" - | head -40 | sed 's/^/    | /'
		fi
	done
	for d in "$out"/*.txt; do
		[ -e "$d" ] && [ ! -e "$dir/$name/$(basename "$d")" ] && fail "$name/$(basename "$d"): dumped but not expected"
	done
done
[ "$n" -gt 0 ] || fail "no screen test ran"
finish
