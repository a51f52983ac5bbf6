#!/usr/bin/env bash
# Set up everything tenderkit needs on a fresh Debian/Ubuntu machine (idempotent):
#   - LibreOffice (headless) and poppler-utils, to convert documents to PDF/PNG (tests, previews);
#   - Chromium (headless) and its driver, for the end-to-end tests of `tenderkit ui` (Playwright drives the
#     system's /usr/bin/chromium; no browser is downloaded);
#   - Tesseract and its French model, to read scanned returns (OCR);
#   - a virtual environment .venv with tenderkit installed as users install it (`pip install .`).
# Usage: scripts/setup.sh [--test]   (--test also installs the test tools)
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui libreoffice-calc-nogui)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
# Metric-compatible substitutes of the office fonts our documents name: Arial (fonts-liberation) and
# Calibri (fonts-crosextra-carlito, openpyxl's default font): PDFs paginate as on an office PC.
fc-list 2>/dev/null | grep Carlito >/dev/null || missing+=(fonts-crosextra-carlito)  # not grep -q: under pipefail, fc-list killed by SIGPIPE would fail the test
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
command -v tesseract >/dev/null 2>&1 || missing+=(tesseract-ocr)
{ command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -x fra >/dev/null; } \
  || missing+=(tesseract-ocr-fra)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "Installing system packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" fonts-dejavu-core fonts-liberation fonts-crosextra-carlito >/dev/null
fi

python=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
if [ "${1:-}" = "--test" ]; then
  .venv/bin/python -m pip install -q ".[test]"
else
  .venv/bin/python -m pip install -q .
fi
