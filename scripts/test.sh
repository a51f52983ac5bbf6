#!/usr/bin/env bash
# Set up, then run the test suite (against the installed package, as users install it) and ruff.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
.venv/bin/ruff check tenderkit tests bench scripts
.venv/bin/tenderkit library validate
# pytest exits 5 when it collects no tests: that is a failure here too.
exec .venv/bin/pytest -p no:cacheprovider "$@"
