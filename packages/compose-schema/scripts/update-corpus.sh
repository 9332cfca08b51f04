#!/usr/bin/env bash
# Regenerates fixtures/valid/<case>/expected.yaml (and expected.json, `--format json`) from the docker compose v2.23 reference loader
# (../shared/reference-compose). Each case runs in its own folder with --project-directory set to it,
# a minimal environment plus the KEY=VALUE lines of env.txt, and the flags and service names of args.txt.
# The folder's absolute path is written as <dir>, the corpus folder's as <corpus>, so that the corpus
# does not depend on where the repository is cloned.
# Usage: scripts/update-corpus.sh [case...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
ref=${COMPOSE_REFERENCE:-/tmp/compose-reference/compose-reference}
[[ -x $ref ]] || { echo "reference loader not found at $ref (build it with ../shared/reference-compose/build.sh)" >&2; exit 1; }

cases=("$@")
if [[ ${#cases[@]} -eq 0 ]]; then
  for d in "$root"/fixtures/valid/*/; do cases+=("$(basename "$d")"); done
fi

failed=0
for name in "${cases[@]}"; do
  dir="$root/fixtures/valid/$name"
  args=()
  [[ -f $dir/args.txt ]] && read -r -a args <"$dir/args.txt"
  envs=()
  [[ -f $dir/env.txt ]] && mapfile -t envs < <(grep -v '^\s*$' "$dir/env.txt")
  for format in yaml json; do
    if ! out=$(cd "$dir" && env -i PATH="$PATH" HOME=/nonexistent-home ${envs[@]+"${envs[@]}"} \
      "$ref" config --format "$format" --project-directory "$dir" ${args[@]+"${args[@]}"} 2>"$dir/.stderr"); then
      echo "$name: reference failed: $(cat "$dir/.stderr")" >&2
      failed=1
      break
    fi
    # YAML ends with a newline that $(...) strips; compose's JSON has none.
    if [[ $format == yaml ]]; then out+=$'\n'; fi
    # Paths outside the case folder but inside the corpus (a shared folder) are written as <corpus>.
    out=${out//$dir/<dir>}
    printf '%s' "${out//$root\/fixtures\/valid/<corpus>}" >"$dir/expected.$format"
  done
  rm -f "$dir/.stderr"
  [[ $failed == 1 ]] || echo "$name: ok"
done
exit "$failed"
