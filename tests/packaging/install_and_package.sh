#!/usr/bin/env bash
# What an operator gets: `cmake --install` into a fresh prefix, then the installed flowrun finds
# the installed plugin on its own and passes the installed examples; CPack's .tar.gz and .deb
# hold the same tree with the plugin's files byte for byte.
#   install_and_package.sh BUILD_DIR
set -euo pipefail
build=$(cd "${1:?usage: install_and_package.sh BUILD_DIR}" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cmake --install "$build" --prefix "$work/prefix" >/dev/null
prefix=$work/prefix
plugin=$prefix/lib/wfp/plugins/freshdesk
[[ -f $plugin/package.json ]] || fail "no package.json in $plugin"
diff -r "$build/plugins/freshdesk" "$plugin" || fail "the installed plugin folder differs from the build's"

# The installed host, with no --plugins and no environment, finds lib/wfp/plugins.
listed=$(env -u FLOWRUN_PLUGIN_PATH "$prefix/bin/flowrun" nodes | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
count=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["wfp"]["nodes"]))' "$plugin/package.json")
[[ $listed -eq $count ]] || fail "installed flowrun lists $listed nodes, the manifest $count"
examples=$(echo "$prefix"/share/doc/*/examples)
env -u FLOWRUN_PLUGIN_PATH "$prefix/bin/flowrun" test "$examples" >"$work/test.out" 2>/dev/null || { cat "$work/test.out"; fail "installed examples"; }
tail -1 "$work/test.out"

# The packages: the same files.
(cd "$build" && cpack -G "TGZ;DEB" -B "$work/packages" >/dev/null) || fail "cpack"
tgz=$(ls "$work"/packages/*.tar.gz) && deb=$(ls "$work"/packages/*.deb)
mkdir "$work/tgz" && tar -xzf "$tgz" -C "$work/tgz"
diff -r "$plugin" "$work/tgz"/*/lib/wfp/plugins/freshdesk || fail "the .tar.gz's plugin folder differs"
mkdir "$work/deb" && dpkg-deb -x "$deb" "$work/deb"
diff -r "$plugin" "$work/deb/usr/lib/wfp/plugins/freshdesk" || fail "the .deb's plugin folder differs"
[[ -x $work/deb/usr/bin/flowrun ]] || fail "the .deb has no /usr/bin/flowrun"
echo "installed and packaged: $count nodes, $(basename "$tgz"), $(basename "$deb")"
