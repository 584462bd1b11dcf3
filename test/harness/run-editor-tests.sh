#!/bin/bash
# The editor tests in one command: install the harness (if needed), write the fixture models,
# bundle and package the extension (savedmodel-lens-linux-<arch>.vsix), run the extension-host suite and the
# UI tests in code-server + Chromium, print "N passed, N failed".
# Usage: test/harness/run-editor-tests.sh [--no-install] [--no-build]     (exit 0 only if all pass)
# Output: test-output/ (screenshots/, runs/<run>/code-server.log, exthost-summary.json, ui-summary.json)
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
INSTALL=1; BUILD=1
for a in "$@"; do
  case $a in
    --no-install) INSTALL=0 ;;
    --no-build) BUILD=0 ;;
    *) echo "unknown option $a"; exit 2 ;;
  esac
done
ms() { date +%s%3N; }
T0=$(ms)
FAILED_STAGES=()

if [ $INSTALL = 1 ]; then
  test/harness/install.sh || { echo "harness install failed"; echo "0 passed, 1 failed"; exit 1; }
fi
rm -rf test-output/runs test-output/exthost-summary.json test-output/ui-summary.json
mkdir -p test-output
echo "== fixtures (test/fixtures/makeWorkspace.ts)"
node --import tsx test/fixtures/makeWorkspace.ts || { echo "fixtures failed"; echo "0 passed, 1 failed"; exit 1; }
if [ $BUILD = 1 ]; then
  # The tests run the bundles that ship: minified, as `npm run package` builds them into the .vsix.
  # Only this machine's platform package (with its WebGPU module): the one the UI test installs.
  TARGET=linux-$(node -p process.arch)
  echo "== bundle and package (npm run package -- --target $TARGET)"
  T=$(ms)
  npm run --silent package -- --target "$TARGET" > test-output/package.log 2>&1 || { tail -n 30 test-output/package.log; echo "package failed"; echo "0 passed, 1 failed"; exit 1; }
  grep -E "DONE|WARNING" test-output/package.log
  # test/ui/vsix.ui.ts installs this one instead of packaging again.
  export SAVEDMODEL_LENS_VSIX=$ROOT/savedmodel-lens-$TARGET.vsix
  echo "   (package stage: $(( $(ms) - T )) ms)"
fi

echo "== extension-host tests"
T=$(ms)
node --import tsx test/harness/runExthostTests.ts || FAILED_STAGES+=(exthost)
echo "   (extension-host stage: $(( $(ms) - T )) ms)"

echo "== UI tests"
T=$(ms)
node --import tsx test/harness/runUiTests.ts || FAILED_STAGES+=(ui)
echo "   (UI stage: $(( $(ms) - T )) ms)"

# A stage that failed without writing its summary counts as one failure.
read -r PASSED FAILED < <(node -e '
  const fs = require("fs");
  let p = 0, f = 0;
  for (const s of ["exthost", "ui"]) {
    try { const r = JSON.parse(fs.readFileSync(`test-output/${s}-summary.json`, "utf8")); p += r.passed; f += r.failed; }
    catch { f += 1; }
  }
  console.log(p, f);')
if [ ${#FAILED_STAGES[@]} -gt 0 ] && [ "$FAILED" = 0 ]; then FAILED=1; fi
echo "editor tests done in $(( $(ms) - T0 )) ms${FAILED_STAGES[*]:+; failed stages: ${FAILED_STAGES[*]}}"
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
