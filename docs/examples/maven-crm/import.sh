#!/usr/bin/env bash
# Import the Maven Analytics CRM data set from folder DIR into the configured database.
#   docs/examples/maven-crm/import.sh DIR
# The organisation "Maven Analytics" (short name: maven, or $ORGANISATION) is created if missing.
set -euo pipefail
dir=${1:?usage: import.sh DIR  (the folder with sales_teams.csv, products.csv, accounts.csv, sales_pipeline.csv)}
here=$(cd "$(dirname "$0")" && pwd)
org=${ORGANISATION:-maven}
if command -v followthrough >/dev/null 2>&1; then
  ft=followthrough
else
  ft="$here/../../../.venv/bin/followthrough"
fi
"$ft" organisation add "Maven Analytics" --slug "$org" --timezone UTC --if-missing
"$ft" import people "$dir/sales_teams.csv" --mapping "$here/people.toml" --organisation "$org"
"$ft" import products "$dir/products.csv" --mapping "$here/products.toml" --organisation "$org"
"$ft" import accounts "$dir/accounts.csv" --mapping "$here/accounts.toml" --organisation "$org"
"$ft" import deals "$dir/sales_pipeline.csv" --mapping "$here/deals.toml" --organisation "$org"
