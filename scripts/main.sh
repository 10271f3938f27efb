#!/usr/bin/env bash
# The main job: set up, rebuild every loader from corpus/ and annotations/ (prints the
# build signature and a load_dataset summary), then run every check.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
VENV="${VENV:-.venv}"
export HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1
"$VENV/bin/bicorpus" build
"$VENV/bin/bicorpus" validate
