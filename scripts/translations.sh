#!/bin/sh
# The French catalogue of tenderkit's messages (tenderkit/locale/fr/LC_MESSAGES/tenderkit.po), see README « Translations ».
#   scripts/translations.sh           extract the messages of the code (babel.cfg) and update the .po:
#                                     new messages come in untranslated, removed ones go; then translate them
#   scripts/translations.sh compile   compile the .po into the tenderkit.mo that ships with the package
# tests/test_catalogue.py fails until every message is translated and the .mo compiled.
set -e
cd "$(dirname "$0")/.."
PYBABEL="${PYBABEL:-.venv/bin/pybabel}"
LOCALES=tenderkit/locale
if [ "${1:-}" = compile ]; then
    exec "$PYBABEL" compile -d "$LOCALES" -D tenderkit --statistics
fi
TEMPLATE="$(mktemp -t tenderkit-XXXXXX.pot)"
trap 'rm -f "$TEMPLATE"' EXIT
"$PYBABEL" extract -F babel.cfg --no-location --sort-output --project tenderkit -o "$TEMPLATE" .
"$PYBABEL" update -i "$TEMPLATE" -d "$LOCALES" -D tenderkit --no-fuzzy-matching --ignore-obsolete -w 120 \
    --ignore-pot-creation-date
