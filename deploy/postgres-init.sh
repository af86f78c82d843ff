#!/bin/sh
# The application connects as "commissioning": it owns its database and tables but is not a
# superuser and cannot bypass row-level security.
set -eu
psql -v ON_ERROR_STOP=1 --username postgres <<SQL
CREATE ROLE commissioning LOGIN PASSWORD '${POSTGRES_APP_PASSWORD}' NOSUPERUSER NOBYPASSRLS;
CREATE DATABASE commissioning OWNER commissioning;
SQL
