#!/usr/bin/env bash
# Runs every fuzz target for a bounded time, starting from the shipped
# questionnaires, the check fixtures and a few real form bodies:
#   fuzz/run.sh [SECONDS_PER_TARGET]   (default 60)
# Needs cargo-fuzz (`cargo install cargo-fuzz --locked`). Findings are left in
# fuzz/artifacts/TARGET/; replay one with `cargo fuzz run TARGET FILE`.
set -euo pipefail
seconds="${1:-60}"
cd "$(dirname "$0")"
if ! command -v cargo-fuzz >/dev/null; then
  echo "cargo-fuzz is missing: cargo install cargo-fuzz --locked" >&2
  exit 1
fi
# libFuzzer's instrumentation needs nightly compiler flags; a stable
# toolchain accepts them when told it is building itself.
if ! rustc --version | grep -q nightly; then export RUSTC_BOOTSTRAP=1; fi

mkdir -p corpus/questionnaire_file corpus/form_answers
n=0
for file in ../questionnaires/*.toml $(find ../tests/fixtures -name '*.toml'); do
  n=$((n + 1))
  cp "$file" "corpus/questionnaire_file/seed-$n.toml"
done
cp seeds/form_answers/* corpus/form_answers/

for target in questionnaire_file form_answers; do
  echo "== $target: $seconds s"
  cargo fuzz run "$target" "corpus/$target" -- \
    -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -print_final_stats=1
done
