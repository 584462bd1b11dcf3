#!/bin/bash
# The packaged extension's GPU smoke test on a real GPU, in two steps:
#
#   scripts/gpu-smoke.sh prepare     here, with the network: writes .gpu-smoke/ (git-ignored)
#   scripts/gpu-smoke.sh run         on the GPU machine (no network), from the repository root,
#                                    with .gpu-smoke/ carried there
#   scripts/gpu-smoke.sh run --lavapipe   the same here, on Mesa's lavapipe (a software adapter),
#                                    to check the script end to end without a GPU
#
# prepare: packs savedmodel-lens-linux-x64.vsix (npm run package -- --target linux-x64), downloads
# Debian's libvulkan1 (the Vulkan loader; Dawn needs it and GPU images often lack it), copies the
# corpus models that have convolutions (../shared/corpus does not travel), writes the benchmark
# models (scripts/gpuSmokeModels.ts: a convolutional classifier and a wide dense network), and
# keeps an xz-compressed copy of this Node in case the GPU machine has none. About 50 MB.
#
# run: unpacks the .vsix (as code does on install) and uses its own CLI, dist/cli.js, which finds
# the WebGPU module beside it (dist/webgpu/); puts the Vulkan loader on LD_LIBRARY_PATH when the
# system has none (unpacked with dpkg -x, as ../shared/reference/builtin-runtime-notes.md says),
# points VK_DRIVER_FILES at the NVIDIA ICD when one is found; then runs
#   smoke <model> --runtime builtin --device gpu --batch 1|32
# on every model and prints adapter, backend, latency and the largest difference from the cpu
# backend (the worker reruns the request on tfjs's cpu backend and compares). The summary
# (summary.tsv) and every report (reports.tar.gz: each run's --json report and stderr) go to
# $GPU_SMOKE_OUT (default .gpu-smoke/out): two files, so the device tool brings them back.
# On the device machine (the device tool's run, carrying .gpu-smoke, about a minute of work):
#   GPU_SMOKE_OUT=$OUT scripts/gpu-smoke.sh run 2>&1 | tee $OUT/gpu-smoke.log      (timeout_s 300)
# Exit 0 when every model that the built-in runtime runs ran on webgpu on a GPU (on a software
# adapter with --lavapipe) within the report's tolerance; models it refuses are listed, not failed.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=$ROOT/.gpu-smoke
TARGET=linux-x64
BATCHES=(1 32)
RUNS=${GPU_SMOKE_RUNS:-20}

log() { echo "[gpu-smoke] $*" >&2; }
die() { log "$*"; exit 2; }

prepare() {
  cd "$ROOT" || exit 2
  mkdir -p "$DIR/debs" "$DIR/models"
  log "packaging $TARGET"
  npm run --silent package -- --target "$TARGET" > "$DIR/package.log" 2>&1 || { tail -n 20 "$DIR/package.log"; die "npm run package failed"; }
  cp "savedmodel-lens-$TARGET.vsix" "$DIR/"
  if ! ls "$DIR"/debs/libvulkan1_*.deb > /dev/null 2>&1; then
    log "downloading libvulkan1 (private apt lists, amd64)"
    local lists=$DIR/apt-lists
    local o=(-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 "-oDir::State::Lists=$lists")
    mkdir -p "$lists/partial"
    apt-get "${o[@]}" -qq update && (cd "$DIR/debs" && apt-get "${o[@]}" -qq download libvulkan1) || die "could not download libvulkan1"
    rm -rf "$lists"
  fi
  rm -rf "$DIR/models"/*
  local corpus=${SAVEDMODEL_LENS_SHARED:-$ROOT/../shared}/corpus
  if [ -d "$corpus" ]; then
    for m in "$corpus"/*/; do
      # A convolution anywhere in the graph (Conv2D, DepthwiseConv2dNative, Conv3D...).
      if grep -aqE 'Conv2D|Conv3D|DepthwiseConv2d' "$m"saved_model.pb* 2> /dev/null; then
        log "corpus model with convolutions: $(basename "$m")"
        cp -R "$m" "$DIR/models/corpus-$(basename "$m")" && chmod -R u+w "$DIR/models/corpus-$(basename "$m")"
      fi
    done
  else
    log "no corpus at $corpus: only the benchmark models"
  fi
  node --import tsx scripts/gpuSmokeModels.ts "$DIR/models" >&2 || die "writing the benchmark models failed"
  if [ ! -f "$DIR/node.xz" ]; then
    log "keeping an xz copy of $(command -v node) ($(node --version)) for a machine without Node"
    xz -T1 -6 -c "$(command -v node)" > "$DIR/node.xz.tmp" && mv "$DIR/node.xz.tmp" "$DIR/node.xz"
  fi
  log "ready: $(du -sh "$DIR" | cut -f1) in $DIR (carry .gpu-smoke)"
}

# A Node of at least 20: this machine's, else the carried copy.
node_bin() {
  if command -v node > /dev/null && [ "$(node -p 'process.versions.node.split(".")[0]')" -ge 20 ] 2> /dev/null; then
    command -v node
    return
  fi
  [ -f "$DIR/node.xz" ] || die "no Node 20+ here and no $DIR/node.xz (run prepare)"
  local tmp=/tmp/gpu-smoke-node
  mkdir -p "$tmp"
  if command -v xz > /dev/null; then xz -dc "$DIR/node.xz" > "$tmp/node"
  else python3 -c 'import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2], "wb"))' "$DIR/node.xz" "$tmp/node"; fi
  chmod +x "$tmp/node"
  echo "$tmp/node"
}

# The Vulkan loader, and the NVIDIA driver's ICD for it.
vulkan_env() {
  if ldconfig -p 2> /dev/null | grep -q 'libvulkan\.so\.1'; then
    log "Vulkan loader: the system's ($(ldconfig -p | grep -m1 'libvulkan\.so\.1' | sed 's/.*=> //'))"
  else
    local deb
    deb=$(ls "$DIR"/debs/libvulkan1_*.deb 2> /dev/null | head -1)
    [ -n "$deb" ] || die "no Vulkan loader on this machine and no libvulkan1 .deb in $DIR/debs (run prepare)"
    local into=/tmp/gpu-smoke-vulkan
    rm -rf "$into" && mkdir -p "$into" && dpkg -x "$deb" "$into" || die "dpkg -x $deb failed"
    local lib
    lib=$(dirname "$(find "$into" -name 'libvulkan.so.1*' | head -1)")
    export LD_LIBRARY_PATH=$lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
    log "Vulkan loader: $(basename "$deb"), unpacked in $lib"
  fi
  if [ -z "${VK_DRIVER_FILES:-}${VK_ICD_FILENAMES:-}" ]; then
    for icd in /usr/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json; do
      if [ -f "$icd" ]; then export VK_DRIVER_FILES=$icd; log "NVIDIA ICD: $icd"; break; fi
    done
    [ -n "${VK_DRIVER_FILES:-}" ] || log "no NVIDIA ICD file found: the loader searches its default folders"
  fi
}

run() {
  local lavapipe=0
  for a in "$@"; do
    case $a in --lavapipe) lavapipe=1 ;; *) die "unknown option $a" ;; esac
  done
  local vsix=$DIR/savedmodel-lens-$TARGET.vsix
  [ -f "$vsix" ] || die "$vsix missing (run prepare)"
  local out=${GPU_SMOKE_OUT:-$DIR/out}
  mkdir -p "$out"
  local NODE
  NODE=$(node_bin) || exit 2
  log "node: $NODE ($("$NODE" --version))"
  local ext=/tmp/gpu-smoke-extension
  rm -rf "$ext" && mkdir -p "$ext" && python3 -m zipfile -e "$vsix" "$ext" || die "could not unpack $vsix"
  local cli=$ext/extension/dist/cli.js
  log "CLI: $cli; WebGPU module: $(ls "$ext/extension/dist/webgpu/dist")"
  if [ $lavapipe = 1 ]; then
    local env_file=$ROOT/.cache/lavapipe/lavapipe.env
    [ -f "$env_file" ] || die "$env_file missing (run test/harness/install-lavapipe.sh)"
    # shellcheck disable=SC1090
    source "$env_file"
    log "lavapipe: VK_ICD_FILENAMES=$VK_ICD_FILENAMES"
  fi
  # The same loader steps as on the GPU machine (with --lavapipe, its ICD is already named).
  vulkan_env
  command -v nvidia-smi > /dev/null && nvidia-smi -L >&2
  local work=/tmp/gpu-smoke-reports
  rm -rf "$work" && mkdir -p "$work"
  local summary=$out/summary.tsv
  printf 'model\tbatch\tstatus\tbackend\tadapter\tkind\tp50_ms\tp95_ms\tper_s\tmax_diff_vs_cpu\tnote\n' > "$summary"
  local failed=0
  for m in "$DIR"/models/*/; do
    local name
    name=$(basename "$m")
    for b in "${BATCHES[@]}"; do
      local json=$work/$name-b$b.json
      "$NODE" "$cli" smoke "$m" --runtime builtin --device gpu --batch "$b" --runs "$RUNS" --warmup 3 --json > "$json" 2> "$work/$name-b$b.stderr"
      "$NODE" -e "$SUMMARIZE" "$json" "$name" "$b" "$lavapipe" >> "$summary" || failed=1
    done
  done
  tar -czf "$out/reports.tar.gz" -C "$work" .
  column -t -s $'\t' "$summary" 2> /dev/null || cat "$summary"
  log "summary: $summary; reports: $out/reports.tar.gz"
  return $failed
}

# One summary line per report; exit 1 when a model that ran did not run as expected.
SUMMARIZE='
const [file, name, batch, lavapipe] = process.argv.slice(1);
let r;
try { r = JSON.parse(require("fs").readFileSync(file, "utf8")); } catch (e) { console.log([name, batch, "no report", "", "", "", "", "", "", "", String(e.message).split("\n")[0]].join("\t")); process.exit(1); }
const d = r.device ?? {};
const fmt = (v, n) => (typeof v === "number" ? v.toFixed(n) : "");
const refused = r.status === "failed" && r.error && r.error.kind === "missing-op";
const note = r.error ? `${r.error.kind}: ${r.error.message}`.slice(0, 160) : d.fallback ? `fell back: ${d.fallback}` : (r.problems ?? []).join("; ");
const adapter = [d.name, d.details && d.details.vendor, d.details && d.details.architecture].filter(Boolean).join(" / ");
console.log([name, batch, refused ? "refused" : r.status, d.backend ?? "", adapter, d.kind ?? "", fmt(r.latency && r.latency.p50Ms, 2), fmt(r.latency && r.latency.p95Ms, 2), fmt(r.throughput, 1), r.parity ? r.parity.maxAbsDiff.toExponential(2) : "", note].join("\t"));
const want = lavapipe === "1" ? "software" : "gpu";
process.exit(refused || (r.status === "ok" && d.backend === "webgpu" && d.kind === want) ? 0 : 1);
'

case ${1:-} in
  prepare) shift; prepare "$@" ;;
  run) shift; run "$@" ;;
  *) echo "usage: scripts/gpu-smoke.sh prepare | run [--lavapipe]" >&2; exit 2 ;;
esac
