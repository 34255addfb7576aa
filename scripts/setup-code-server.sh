#!/usr/bin/env bash
# Installs code-server (VS Code 1.100.3 server + web workbench, runs on Node 20) into a git-ignored folder,
# for the e2e harness (scripts/run-e2e.mjs). Quick no-op when the right version is already there.
#   scripts/setup-code-server.sh [DEST]     (default .vscode-test/code-server)
# Needs: npm, python3/make/g++ (native modules), libkrb5-dev (kerberos) and ripgrep (Debian's rg seeds the
# @vscode/ripgrep download, which otherwise goes to GitHub). As root, missing apt packages are installed.
set -euo pipefail
cd "$(dirname "$0")/.."
DEST="${1:-.vscode-test/code-server}"
VER="${CODE_SERVER_VERSION:-4.100.3}"
BIN="$DEST/node_modules/.bin/code-server"

# code-server writes ~/.config/code-server/config.yaml on any start unless XDG_CONFIG_HOME points elsewhere.
version_of() { local x; x="$(mktemp -d)"; XDG_CONFIG_HOME="$x" "$1" --version 2>/dev/null | tail -1; rm -rf "$x"; }

if [ -x "$BIN" ] && version_of "$BIN" | grep -q "^$VER "; then
  echo "code-server $VER already installed in $DEST"
  exit 0
fi

need=()
command -v rg >/dev/null || need+=(ripgrep)
[ -f /usr/include/gssapi/gssapi.h ] || need+=(libkrb5-dev)
command -v make >/dev/null || need+=(make)
command -v g++ >/dev/null || need+=(g++)
command -v python3 >/dev/null || need+=(python3)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then apt_get=(apt-get)
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then apt_get=(sudo -n apt-get)
  else
    echo "setup-code-server: missing system packages: ${need[*]}" >&2
    echo "  install them with:  sudo apt-get update && sudo apt-get install -y ${need[*]}" >&2
    exit 1
  fi
  echo "setup-code-server: installing ${need[*]} with apt-get"
  "${apt_get[@]}" update -q
  DEBIAN_FRONTEND=noninteractive "${apt_get[@]}" install -y -q "${need[@]}"
fi

# @vscode/ripgrep's postinstall accepts a cached release asset; put Debian's rg (13.0.0) there.
RG_CACHE="$(node -p 'require("os").tmpdir()')/vscode-ripgrep-cache-1.15.11"
RG_TGZ="$RG_CACHE/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
if [ ! -s "$RG_TGZ" ]; then
  mkdir -p "$RG_CACHE"
  tmp="$(mktemp -d)"
  cp "$(command -v rg)" "$tmp/rg"
  tar czf "$RG_TGZ" -C "$tmp" rg
  rm -rf "$tmp"
fi

mkdir -p "$DEST"
cd "$DEST"
[ -f package.json ] || echo '{"name":"code-server-host","private":true}' > package.json
echo "setup-code-server: npm install code-server@$VER into $DEST (about a minute)"
# unsafe_perm: code-server's postinstall refuses to run as root without it; yes: its npx call to node-gyp.
npm_config_unsafe_perm=true npm_config_yes=true npm install --no-audit --no-fund --loglevel=error "code-server@$VER"
installed="$(version_of ./node_modules/.bin/code-server)"
echo "setup-code-server: $installed"
echo "$installed" | grep -q "^$VER " || { echo "setup-code-server: code-server did not install correctly" >&2; exit 1; }
