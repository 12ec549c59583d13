-- Foreign keys as column pairs in key order. Constraints cloned onto partitions (conparentid
-- set) repeat their parent's and are left out.
select
  k.oid::pg_catalog.int8 as oid,
  k.conrelid::pg_catalog.int8 as relid,
  u.attnum::int as attnum,
  k.confrelid::pg_catalog.int8 as ref_relid,
  u.ref_attnum::int as ref_attnum,
  u.ord::int as ord
from pg_catalog.pg_constraint k
-- Multi-argument unnest() is grammar sugar for ROWS FROM that only the unqualified name gets.
cross join lateral rows from (pg_catalog.unnest(k.conkey), pg_catalog.unnest(k.confkey)) with ordinality as u(attnum, ref_attnum, ord)
join pg_catalog.pg_class c on c.oid operator(pg_catalog.=) k.conrelid
join pg_catalog.pg_namespace n on n.oid operator(pg_catalog.=) c.relnamespace
where k.contype operator(pg_catalog.=) 'f'
  and k.conparentid operator(pg_catalog.=) 0::pg_catalog.oid
  and n.nspname operator(pg_catalog.<>) all ('{pg_catalog,information_schema}'::pg_catalog.name[])
  and n.nspname operator(pg_catalog.!~) '^pg_(toast|temp)'
