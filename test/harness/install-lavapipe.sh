#!/bin/bash
# A software Vulkan for the smoke test's webgpu tests: Mesa 25's lavapipe from Debian's
# bookworm-backports, unpacked into .cache/lavapipe/ (git-ignored), never installed over the
# system's Mesa. Debian bookworm's own lavapipe (Mesa 22.3) is rejected by Dawn (it lacks the
# dynamic indexing features WebGPU needs); Mesa 25 works.
#   - apt runs with a private configuration (sources, lists, cache all under .cache/lavapipe/apt),
#     so the system's sources and package state are left alone;
#   - `apt-get download` fetches mesa-vulkan-drivers and the libdrm libraries it needs from the
#     backports suite, plus any other dependency (libvulkan1, libllvm...) this machine lacks;
#   - `dpkg -x` unpacks them into .cache/lavapipe/root; an ICD JSON names its libvulkan_lvp.so.
# Prints the environment to use (also written to .cache/lavapipe/lavapipe.env). Idempotent.
# Usage: test/harness/install-lavapipe.sh   (exit 0 when lavapipe is in place)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CACHE=${LAVAPIPE_DIR:-$ROOT/.cache/lavapipe}
SUITE=bookworm-backports
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
ARCH=$(dpkg --print-architecture)
TRIPLET=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo "$(uname -m)-linux-gnu")
ENV_FILE=$CACHE/lavapipe.env
ICD=$CACHE/lvp_icd.json
LIBDIR=$CACHE/root/usr/lib/$TRIPLET

log() { echo "[lavapipe] $*" >&2; }

print_env() {
  cat "$ENV_FILE"
}

if [ -f "$ENV_FILE" ] && [ -f "$LIBDIR/libvulkan_lvp.so" ] && [ -f "$ICD" ]; then
  log "already in place: $CACHE"
  print_env
  exit 0
fi

APT=$CACHE/apt
mkdir -p "$APT/lists/partial" "$APT/cache/archives/partial" "$APT/etc/sources.list.d" "$CACHE/debs" "$CACHE/root"
cat > "$APT/etc/sources.list" <<EOF
deb $MIRROR bookworm main
deb $MIRROR $SUITE main
EOF
APT_OPTS=(
  -o "Dir::Etc::sourcelist=$APT/etc/sources.list"
  -o "Dir::Etc::sourceparts=$APT/etc/sources.list.d"
  -o "Dir::State::Lists=$APT/lists"
  -o "Dir::Cache=$APT/cache"
  -o "APT::Get::List-Cleanup=0"
  -o "APT::Sandbox::User=$(id -un)"
)

log "apt-get update (private lists in $APT)"
apt-get "${APT_OPTS[@]}" -qq update

# The backports version of mesa-vulkan-drivers, and what it depends on.
MESA_VERSION=$(apt-cache "${APT_OPTS[@]}" madison mesa-vulkan-drivers | awk -F'|' -v s="$SUITE" '$3 ~ s { gsub(/ /, "", $2); print $2; exit }')
if [ -z "$MESA_VERSION" ]; then log "mesa-vulkan-drivers is not in $SUITE"; exit 1; fi
log "mesa-vulkan-drivers $MESA_VERSION from $SUITE"
DEPENDS=$(apt-cache "${APT_OPTS[@]}" show "mesa-vulkan-drivers=$MESA_VERSION" | sed -n 's/^Depends: //p' | head -1)

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

# libdrm must come from backports too (Mesa 25 needs >= 2.4.121; bookworm has 2.4.114).
WANT=("mesa-vulkan-drivers=$MESA_VERSION" "libdrm2/$SUITE" "libdrm-amdgpu1/$SUITE")
for dep in $(echo "$DEPENDS" | tr ',' '\n' | sed 's/([^)]*)//; s/|.*//; s/:any//' | tr -d ' '); do
  case "$dep" in libdrm2|libdrm-amdgpu1|'') continue ;; esac
  installed "$dep" || WANT+=("$dep")
done

log "downloading ${WANT[*]}"
(cd "$CACHE/debs" && apt-get "${APT_OPTS[@]}" -qq download "${WANT[@]}")

for deb in "$CACHE"/debs/*.deb; do
  log "unpacking $(basename "$deb")"
  dpkg -x "$deb" "$CACHE/root"
done

if [ ! -f "$LIBDIR/libvulkan_lvp.so" ]; then log "libvulkan_lvp.so not found under $LIBDIR"; exit 1; fi

cat > "$ICD" <<EOF
{
  "file_format_version": "1.0.0",
  "ICD": { "library_path": "$LIBDIR/libvulkan_lvp.so", "api_version": "1.4.305" }
}
EOF
mkdir -p "$CACHE/xdg"
chmod 700 "$CACHE/xdg"
cat > "$ENV_FILE" <<EOF
export VK_ICD_FILENAMES=$ICD
export LD_LIBRARY_PATH=$LIBDIR
export XDG_RUNTIME_DIR=$CACHE/xdg
EOF
log "done: source $ENV_FILE"
print_env
