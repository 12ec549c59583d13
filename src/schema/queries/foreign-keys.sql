-- Foreign keys as column pairs in key order. Constraints cloned onto partitions (conparentid
-- set) repeat their parent's and are left out.
select
  k.oid::int8 as oid,
  k.conrelid::int8 as relid,
  u.attnum::int as attnum,
  k.confrelid::int8 as ref_relid,
  u.ref_attnum::int as ref_attnum,
  u.ord::int as ord
from pg_constraint k
cross join lateral unnest(k.conkey, k.confkey) with ordinality as u(attnum, ref_attnum, ord)
join pg_class c on c.oid = k.conrelid
join pg_namespace n on n.oid = c.relnamespace
where k.contype = 'f'
  and k.conparentid = 0
  and n.nspname not in ('pg_catalog', 'information_schema')
  and n.nspname !~ '^pg_(toast|temp)'
