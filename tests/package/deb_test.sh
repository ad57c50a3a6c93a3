#!/usr/bin/env bash
# tests/package/deb_test.sh BUILD_DIR VERSION — ctest package_deb (label package): CPack builds
# the .deb from the existing build (no rebuild), dpkg installs it into a scratch root without
# root rights (--force-not-root with its own --instdir and --admindir: the package has no
# maintainer scripts, so nothing needs a chroot), and the installed files are checked: the
# Depends line is dpkg-shlibdeps' (every library package, versioned, and satisfied on this
# host), the binary runs, man renders the page without warnings, the completions load, and
# dpkg removes it all again.
set -euo pipefail
build=$(cd "$1" && pwd)
version=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "deb_test: FAIL: $*" >&2; exit 1; }

start=$(date +%s%N)
cpack --config "$build/CPackConfig.cmake" -B "$work/out" >"$work/cpack.log" 2>&1 ||
  { cat "$work/cpack.log"; fail "cpack"; }
deb=$(echo "$work"/out/cpsync_"$version"-*_*.deb)
[ -f "$deb" ] || fail "no cpsync_${version}-*.deb in $(ls "$work/out")"
echo "deb_test: built $(basename "$deb"), $(stat -c %s "$deb") bytes"

# Depends: from dpkg-shlibdeps, so it names the packages of the libraries the binary links
# (cmake/install.cmake lists none), each with a minimum version, all installed here.
depends=$(dpkg-deb -f "$deb" Depends)
echo "deb_test: Depends: $depends"
for lib in libc6 libcurl4 libssl3 libstdc++6; do
  [[ $depends =~ (^|, )"$lib"\ \(\>=\ [^\)]+\) ]] || fail "Depends lacks a versioned $lib"
done
IFS=',' read -r -a deps <<<"$depends"
for d in "${deps[@]}"; do
  [[ $d =~ ^\ *([^ ]+)\ \(\>=\ ([^\)]+)\)$ ]] || fail "unversioned dependency '$d'"
  have=$(dpkg-query -W -f='${Version}' "${BASH_REMATCH[1]}" 2>/dev/null) ||
    fail "${BASH_REMATCH[1]} is not installed here"
  dpkg --compare-versions "$have" ge "${BASH_REMATCH[2]}" ||
    fail "${BASH_REMATCH[1]} $have is older than ${BASH_REMATCH[2]}"
done
[ "$(dpkg-deb -f "$deb" Section)" = net ] || fail "Section"
[ "$(dpkg-deb -f "$deb" Version)" = "$version-1" ] || fail "Version"
# Maintainer: "Name <address>" (cmake/install.cmake, CPSYNC_DEB_MAINTAINER); the copyright
# file where Debian policy puts it, in the machine-readable format, with the licence texts.
maintainer=$(dpkg-deb -f "$deb" Maintainer)
echo "deb_test: Maintainer: $maintainer"
[[ $maintainer =~ ^[^\<\>]+\ \<[^@\ ]+@[^\>\ ]+\>$ ]] || fail "Maintainer '$maintainer'"
dpkg-deb -c "$deb" >"$work/contents.txt"
grep -q ' \./usr/share/doc/cpsync/copyright$' "$work/contents.txt" || fail "no copyright in the .deb"

# Install into a scratch root as an unprivileged user may: the dependencies live in the
# host's dpkg database, not in the scratch one, hence --force-depends.
root=$work/root
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates"
touch "$root/var/lib/dpkg/status"
scratch_dpkg() {
  dpkg --force-not-root --force-depends --instdir="$root" --admindir="$root/var/lib/dpkg" \
    --log="$work/dpkg.log" "$@"
}
scratch_dpkg -i "$deb" >"$work/dpkg.out" 2>&1 || { cat "$work/dpkg.out"; fail "dpkg -i"; }
[ "$(dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${Status}' cpsync)" = "install ok installed" ] ||
  fail "not installed"
for f in usr/bin/cpsync usr/share/man/man1/cpsync.1.gz usr/share/bash-completion/completions/cpsync \
  usr/share/zsh/site-functions/_cpsync usr/share/fish/vendor_completions.d/cpsync.fish \
  usr/share/doc/cpsync/README.md usr/share/doc/cpsync/usage.md usr/share/doc/cpsync/remotes/s3.md; do
  [ -s "$root/$f" ] || fail "missing $f"
done

copyright=$root/usr/share/doc/cpsync/copyright
head -1 "$copyright" | grep -qx 'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/' ||
  fail "copyright: no Format line"
grep -qx "Upstream-Contact: $maintainer" "$copyright" || fail "copyright: Upstream-Contact"
for l in cpsync BSD-3-clause Expat; do
  # Each licence named has its text: a "License: NAME" line followed by indented lines.
  awk -v l="License: $l" '$0 == l {getline; if ($0 ~ /^ /) found = 1} END {exit !found}' \
    "$copyright" || fail "copyright: no text for licence $l"
done
[ "$("$root/usr/bin/cpsync" version)" = "cpsync $version" ] || fail "installed cpsync version"
MANWIDTH=80 man --warnings -l "$root/usr/share/man/man1/cpsync.1.gz" >"$work/man.txt" 2>"$work/man.err" ||
  fail "man -l"
[ ! -s "$work/man.err" ] || { cat "$work/man.err"; fail "man warned"; }
grep -q "COMMAND REFERENCE" "$work/man.txt" || fail "man page text"
out=$(PATH="$root/usr/bin:$PATH" bash --norc --noprofile -c \
  "source $root/usr/share/bash-completion/completions/cpsync; complete -p cpsync")
[ "$out" = "complete -o bashdefault -o default -F _cpsync cpsync" ] || fail "bash completion: $out"

scratch_dpkg -r cpsync >"$work/dpkg.out" 2>&1 || { cat "$work/dpkg.out"; fail "dpkg -r"; }
[ ! -e "$root/usr/bin/cpsync" ] || fail "dpkg -r left the binary"
echo "deb_test: ok in $((($(date +%s%N) - start) / 1000000)) ms"
