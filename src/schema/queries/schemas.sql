-- Schemas that can hold user objects: pg_toast_* and pg_temp_* are per-backend internals.
select n.nspname as name
from pg_catalog.pg_namespace n
where n.nspname operator(pg_catalog.<>) all ('{pg_catalog,information_schema}'::pg_catalog.name[])
  and n.nspname operator(pg_catalog.!~) '^pg_(toast|temp)'
