-- What row-level-security policies read (USING / WITH CHECK expressions); the policy's own
-- link to its table is deptype 'a' and is not a read.
select distinct
  pol.polrelid::int8 as relid,
  case d.refclassid
    when 'pg_class'::regclass then 'class'
    when 'pg_proc'::regclass then 'proc'
    when 'pg_type'::regclass then 'type'
  end as ref_kind,
  d.refobjid::int8 as ref_oid,
  d.refobjsubid::int as ref_subid
from pg_policy pol
join pg_class c on c.oid = pol.polrelid
join pg_namespace n on n.oid = c.relnamespace
join pg_depend d on d.classid = 'pg_policy'::regclass and d.objid = pol.oid
where d.deptype = 'n'
  and d.refclassid in ('pg_class'::regclass, 'pg_proc'::regclass, 'pg_type'::regclass)
  and n.nspname not in ('pg_catalog', 'information_schema')
  and n.nspname !~ '^pg_(toast|temp)'
