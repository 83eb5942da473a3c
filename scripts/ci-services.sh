#!/usr/bin/env bash
# Services the test suite uses beyond Python: a local PostgreSQL for the database tests.
#
# Run by .ci/run before `make test`, as root on a fresh Debian machine. It installs PostgreSQL from the
# distribution's packages when missing, starts a cluster, creates the role and database `openimr_test`, and
# writes the URL to .ci/pg-url, which tests/conftest.py reads when OPENIMR_TEST_PG_URL is not set.
# Idempotent: a second run finds everything in place and only makes sure the server is up.
# Not root: nothing to do (the PostgreSQL tests are skipped unless OPENIMR_TEST_PG_URL is set).
set -euo pipefail
cd "$(dirname "$0")/.."

URL_FILE=.ci/pg-url
DB=openimr_test
ROLE=openimr_test
PASSWORD=openimr_test  # a throwaway cluster on a CI machine, reachable on localhost only

if [ "$(id -u)" -ne 0 ]; then
  echo "ci-services: not root; skipping PostgreSQL setup (set OPENIMR_TEST_PG_URL to test against one)" >&2
  exit 0
fi

if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  echo "ci-services: installing PostgreSQL from the Debian packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
fi

VERSION=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
# one field of the newest version's "main" cluster: pg_lsclusters -h prints version, name, port, status, ...
cluster_field() { pg_lsclusters -h | awk -v v="$VERSION" -v f="$1" '$1 == v && $2 == "main" {print $f}'; }
if [ -z "$(cluster_field 2)" ]; then
  pg_createcluster "$VERSION" main >/dev/null
fi
if [ "$(cluster_field 4)" != "online" ]; then
  pg_ctlcluster "$VERSION" main start
fi
PORT=$(cluster_field 3)

psql_admin() { su postgres -c "psql -p $PORT -v ON_ERROR_STOP=1 -qtAX $*"; }
if [ "$(psql_admin "-c \"SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'\"")" != "1" ]; then
  psql_admin "-c \"CREATE ROLE $ROLE LOGIN PASSWORD '$PASSWORD'\""
fi
if [ "$(psql_admin "-c \"SELECT 1 FROM pg_database WHERE datname = '$DB'\"")" != "1" ]; then
  psql_admin "-c \"CREATE DATABASE $DB OWNER $ROLE\""
fi

mkdir -p "$(dirname "$URL_FILE")"
echo "postgresql://$ROLE:$PASSWORD@127.0.0.1:$PORT/$DB" > "$URL_FILE"
echo "ci-services: PostgreSQL $VERSION on port $PORT; URL in $URL_FILE" >&2
