#!/bin/sh
# Installs what cmharden needs to build and test, on Debian 12 (bookworm) and
# derivatives. Packages already present are left alone; nothing is upgraded.
set -eu

PKGS="build-essential autoconf automake autopoint gettext pkg-config
libncurses-dev libyaml-dev libsqlite3-dev libcriterion-dev
tmux libxml2-utils valgrind
python3 chromium poppler-utils fonts-dejavu-core groff-base man-db mandoc
openssh-server openssh-client
clang libclang-rt-dev
clang-tools cppcheck"
# The report's tests: its JSON is validated against doc/report.schema.json, its
# Markdown rendered by a CommonMark (GitHub tables) implementation.
PKGS="$PKGS python3-jsonschema cmark-gfm"
# The PowerShell agent's syntax check needs Node.js and npm; a system that has
# them already (from any source) is left alone.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	PKGS="$PKGS nodejs npm"
fi

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		SUDO=sudo
	else
		echo "install-deps: missing packages:$missing" >&2
		echo "install-deps: run as root, or install them with apt-get" >&2
		exit 1
	fi
else
	SUDO=
fi
echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
