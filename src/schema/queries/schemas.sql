-- Schemas that can hold user objects: pg_toast_* and pg_temp_* are per-backend internals.
select n.nspname as name
from pg_namespace n
where n.nspname not in ('pg_catalog', 'information_schema')
  and n.nspname !~ '^pg_(toast|temp)'
