#!/usr/bin/env bash
# Set up, then run tenderkit on the bundled sample tender: writes the documents into ./demo/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/tenderkit demo demo "$@"
