#!/usr/bin/env bash
# The steps of the pull-request review, runnable locally too (in the directory of a cdktf app):
#
#   IMMUTA_URL=... IMMUTA_API_KEY=... bash examples/ci/plan-comment.sh quickstart comment.md
#
# Synthesizes the app, saves a Terraform plan of STACK, asks Immuta (dry runs only: nothing
# changes) what the plan would do, writes the markdown comment to OUT and prints it. Exits 0 when
# Immuta would change nothing, 2 when it would, 1 on error (like terraform plan -detailed-exitcode).
#
# A personas file adds each persona's access changes, first in the comment: PERSONAS names it
# (default: personas.yaml in the app's directory, when there is one), CATALOG the tables' columns
# (default: catalog.yaml in the app's directory, when there is one). A file that PERSONAS or
# CATALOG names must exist. CDKTF_OUTDIR names another output directory than cdktf.out; IMMUTA_V2 another command than
# `npx immuta-v2` (e.g. `node path/to/bin/immuta-v2.js`); TERRAFORM_BINARY_NAME another engine
# than terraform (e.g. tofu), as for cdktf itself.
set -euo pipefail
stack=${1:?usage: plan-comment.sh STACK [OUT]}
out=${2:-comment.md}
outdir=${CDKTF_OUTDIR:-cdktf.out}
dir="${outdir}/stacks/${stack}"
immuta_v2=${IMMUTA_V2:-npx immuta-v2}
engine=${TERRAFORM_BINARY_NAME:-terraform}

personas=()
for named in PERSONAS CATALOG; do
  if [ -n "${!named:-}" ] && [ ! -f "${!named}" ]; then
    echo "plan-comment.sh: $named names ${!named}, which is not a file" >&2
    exit 1
  fi
done
personas_file=${PERSONAS:-personas.yaml}
catalog_file=${CATALOG:-catalog.yaml}
if [ -f "$personas_file" ]; then
  personas=(--personas "$personas_file")
  if [ -f "$catalog_file" ]; then personas+=(--catalog "$catalog_file"); fi
fi

npx cdktf synth --output "$outdir" >/dev/null
"$engine" -chdir="$dir" init -input=false -no-color >/dev/null
"$engine" -chdir="$dir" plan -input=false -no-color -out=immuta.tfplan >/dev/null
"$engine" -chdir="$dir" show -json immuta.tfplan >"$dir/immuta-plan.json"

set +e
$immuta_v2 plan --stack-dir "$dir" --plan-json "$dir/immuta-plan.json" --format markdown \
  ${personas[@]+"${personas[@]}"} >"$out"
code=$?
set -e
cat "$out"
echo "review written to $out (exit code $code: 0 no change, 2 changes, 1 error)" >&2
exit "$code"
