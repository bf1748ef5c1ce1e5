#!/usr/bin/env bash
# Retrains the shipped shape model from a feature table (default: the committed one), writes the held-out split
# the CI test scores, and the evaluation docs/shape-classifier.md quotes. One command, deterministic.
# Usage: tests/corpus/shape/train.sh [FEATURES.csv]
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
TABLE=${1:-$HERE/features.csv}
[ "$TABLE" -ef "$HERE/features.csv" ] || cp "$TABLE" "$HERE/features.csv"
dotnet build "$ROOT/Cli" -c Release -nologo -v quiet
CLI=(dotnet "$ROOT/Cli/bin/Release/net10.0/shadowmcp.dll")
# The threshold comes from look-alike families the model never saw (the ninth round's rule; the sixth model on).
"${CLI[@]}" shape train "$HERE/features.csv" -o "$ROOT/Classifier/Shape/shape-model.json" --holdout-out "$HERE/holdout.csv" \
  --threshold unseen-families
"${CLI[@]}" shape eval "$HERE/features.csv" --model "$ROOT/Classifier/Shape/shape-model.json" --threshold unseen-families \
  | tee "$HERE/evaluation.md"
