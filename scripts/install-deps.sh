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

# PowerShell 7 (the .NET global tool) and Pester, wherever dotnet exists: the
# tests run the agent and the fix scripts under them (tests/powershell/). Pester
# is restored into the NuGet packages folder, where tests/powershell/find-pwsh.sh
# looks for it. Without dotnet those tests SKIP loudly (and fail under
# CMHARDEN_REQUIRE_PWSH=1, as ./build.sh test sets it).
PWSH_VERSION=7.6.9
PESTER_VERSION=5.7.1
install_powershell() {
	if ! command -v dotnet >/dev/null 2>&1; then
		echo "install-deps: no dotnet: PowerShell and Pester NOT installed; the PowerShell tests will SKIP" >&2
		return 0
	fi
	tools="$HOME/.dotnet/tools"
	if ! "$tools/pwsh" -NoProfile -NonInteractive -Command 'exit 0' >/dev/null 2>&1; then
		echo "install-deps: installing PowerShell $PWSH_VERSION (dotnet tool)"
		dotnet tool install --global PowerShell --version "$PWSH_VERSION" ||
			dotnet tool update --global PowerShell --version "$PWSH_VERSION"
		"$tools/pwsh" -NoProfile -NonInteractive -Command '$PSVersionTable.PSVersion.ToString()'
	fi
	pkgs="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
	if [ ! -f "$pkgs/pester/$PESTER_VERSION/tools/Pester.psd1" ]; then
		echo "install-deps: downloading Pester $PESTER_VERSION (NuGet restore)"
		d=$(mktemp -d)
		cat >"$d/pester.csproj" <<EOP
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net$(dotnet --version | cut -d. -f1).0</TargetFramework></PropertyGroup>
  <ItemGroup><PackageDownload Include="Pester" Version="[$PESTER_VERSION]" /></ItemGroup>
</Project>
EOP
		(cd "$d" && dotnet restore pester.csproj) || { rm -rf "$d"; exit 1; }
		rm -rf "$d"
	fi
}
install_powershell

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
