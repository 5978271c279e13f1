#!/usr/bin/env bash
# A scripted CI run of the privacy gate against a local fixture site, showing each documented behaviour:
#
#   1. release 1 has the pre-2023 "Do Not Sell My Personal Information" wording: a new failure, exit 1
#   2. release 1 accepted as the baseline (a copy of its report.json files): the failure is known, exit 0
#   3. a waiver for that rule, judged before its expiry date: waived, exit 0
#   4. the same waiver after its expiry date: no longer waived, and the gate says so, exit 1
#   5. the rule lowered to "warn": passes with a warning, exit 0
#   6. release 2, audited with that baseline, fixes the wording but loses its privacy-policy link: a new
#      failure, exit 1, and the report shows what changed since the previous run (fixed: wording; new:
#      privacy-policy link)
#
# Steps 1 and 6 are full audits (`auditor audit`); 2-5 decide the gate again on step 1's reports
# (`auditor gate`, the same decision `auditor audit` makes), as a CI job does when only the gate
# configuration or the baseline changes.
#
# Usage: ci/examples/run-gate.sh [WORK_DIR]
#   PYTHON=/path/to/python (default python3) must have auditor installed; a Chromium must be available.
# Prints one "SCENARIO" line per step and exits 0 when every step behaved as documented.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
WORK=${1:-$(mktemp -d)}
PY=${PYTHON:-python3}
SITE=www.gatecheck-outfitters.com
URL="http://$SITE/"
mkdir -p "$WORK/sites"
rm -rf "${WORK:?}/sites/$SITE" "$WORK"/run* "$WORK/baseline" "$WORK/history.db"
cp -r "$REPO/tests/sites/$SITE" "$WORK/sites/$SITE"

CONFIG="$HERE/auditor.toml"
# --static-dir serves the site's folder on loopback for the length of each audit, under its real host name.
COMMON=(--static-dir "$WORK/sites/$SITE" --history "$WORK/history.db" --format html,json,md,sarif,junit)
FAILED=0

scenario() {  # scenario NUMBER NAME EXPECTED_EXIT LOG -- command...
  local number=$1 name=$2 expected=$3 log=$4
  shift 5
  "$@" >"$log" 2>&1
  local got=$?
  local verdict=ok
  [ "$got" -eq "$expected" ] || { verdict=MISMATCH; FAILED=1; }
  echo "SCENARIO $number $name expected=$expected exit=$got $verdict"
  sed 's/^/    /' "$log" | grep -E "Gate |Failing|Warnings|Waived|Expired|Known|  www\." | head -12
}

scenario 1 new-failure 1 "$WORK/run1.log" -- \
  "$PY" -m auditor.cli audit "$URL" --out "$WORK/run1" --config "$CONFIG" "${COMMON[@]}"
mkdir -p "$WORK/baseline/$SITE" && cp "$WORK/run1/$SITE/report.json" "$WORK/baseline/$SITE/"
scenario 2 baseline-known 0 "$WORK/gate2.log" -- \
  "$PY" -m auditor.cli gate "$WORK/run1" --config "$CONFIG" --baseline "$WORK/baseline"

cp "$CONFIG" "$WORK/waiver.toml"
cat >>"$WORK/waiver.toml" <<'TOML'

[[waivers]]
rule = "ccpa.dns-link-wording"
sites = "*.gatecheck-outfitters.com"
reason = "Footer copy update ships with the spring redesign (WEB-1234)"
expires = 2026-12-31
TOML
scenario 3 waived-before-expiry 0 "$WORK/gate3.log" -- \
  "$PY" -m auditor.cli gate "$WORK/run1" --config "$WORK/waiver.toml" --audit-date 2026-12-30
scenario 4 waiver-expired 1 "$WORK/gate4.log" -- \
  "$PY" -m auditor.cli gate "$WORK/run1" --config "$WORK/waiver.toml" --audit-date 2026-12-31

sed 's/"ccpa.dns-link-wording" = "error"/"ccpa.dns-link-wording" = "warn"/' "$CONFIG" >"$WORK/warn.toml"
scenario 5 warn-level 0 "$WORK/gate5.log" -- \
  "$PY" -m auditor.cli gate "$WORK/run1" --config "$WORK/warn.toml"

# Release 2: the wording is fixed, but the footer's privacy link became "Legal" and points elsewhere.
sed -e 's#Do Not Sell My Personal Information#Do Not Sell or Share My Personal Information#' \
    -e 's#<a href="/privacy.html">Privacy Policy</a>#<a href="/legal.html">Legal</a>#' \
    "$REPO/tests/sites/$SITE/index.html" >"$WORK/sites/$SITE/index.html"
scenario 6 next-release 1 "$WORK/run2.log" -- \
  "$PY" -m auditor.cli audit "$URL" --out "$WORK/run2" --config "$CONFIG" --baseline "$WORK/baseline" "${COMMON[@]}"

echo "outputs in $WORK"
if [ "$FAILED" -eq 0 ]; then echo "ALL GATE SCENARIOS BEHAVED AS DOCUMENTED"; else echo "SOME GATE SCENARIOS DID NOT"; fi
exit "$FAILED"
