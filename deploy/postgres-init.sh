#!/bin/sh
# Two roles, neither a superuser (superusers bypass row-level security):
# - commissioning_owner owns the database and its tables; only `manage.py migrate` connects as it
#   (MIGRATION_DATABASE_URL), and grants the application its privileges.
# - commissioning, the application (DATABASE_URL), owns nothing: it holds only SELECT, INSERT,
#   UPDATE, DELETE (not even UPDATE or DELETE on the audit trail), so it cannot switch row-level
#   security or the audit trigger off, nor TRUNCATE.
set -eu
psql -v ON_ERROR_STOP=1 --username postgres <<SQL
CREATE ROLE commissioning_owner LOGIN PASSWORD '${POSTGRES_OWNER_PASSWORD}' NOSUPERUSER NOBYPASSRLS NOCREATEROLE;
CREATE ROLE commissioning LOGIN PASSWORD '${POSTGRES_APP_PASSWORD}' NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB;
CREATE DATABASE commissioning OWNER commissioning_owner;
REVOKE ALL ON DATABASE commissioning FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE commissioning TO commissioning;
SQL
# An existing installation where the application's role owned the tables moves them with:
#   REASSIGN OWNED BY commissioning TO commissioning_owner;   (as postgres, in the database)
# and then runs `manage.py migrate` once with MIGRATION_DATABASE_URL set, which grants.
