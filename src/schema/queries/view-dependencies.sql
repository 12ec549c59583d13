-- What each view and materialized view reads, from its rewrite rule's dependencies:
-- ref_subid > 0 is a column, 0 the whole relation. The rule's dependency on its own view is dropped.
select distinct
  r.ev_class::int8 as view_oid,
  case d.refclassid
    when 'pg_class'::regclass then 'class'
    when 'pg_proc'::regclass then 'proc'
    when 'pg_type'::regclass then 'type'
  end as ref_kind,
  d.refobjid::int8 as ref_oid,
  d.refobjsubid::int as ref_subid
from pg_rewrite r
join pg_class v on v.oid = r.ev_class
join pg_namespace n on n.oid = v.relnamespace
join pg_depend d on d.classid = 'pg_rewrite'::regclass and d.objid = r.oid
where v.relkind in ('v', 'm')
  and d.deptype = 'n'
  and d.refclassid in ('pg_class'::regclass, 'pg_proc'::regclass, 'pg_type'::regclass)
  and not (d.refclassid = 'pg_class'::regclass and d.refobjid = r.ev_class)
  and n.nspname not in ('pg_catalog', 'information_schema')
  and n.nspname !~ '^pg_(toast|temp)'
