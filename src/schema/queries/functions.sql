-- Functions, procedures, aggregates and window functions. arg_types is the call signature
-- without parameter names, so renaming a parameter does not change the id: proargtypes for
-- functions; for procedures OUT parameters are part of the signature (CALL passes them), so
-- they come from proallargtypes. Constructors Postgres generates for a range type depend on it
-- internally (deptype 'i') and are not anybody's code.
select
  p.oid::pg_catalog.int8 as oid,
  n.nspname as schema,
  p.proname as name,
  p.prokind::pg_catalog.text as prokind,
  pg_catalog.pg_get_function_identity_arguments(p.oid) as identity_args,
  sig.arg_types,
  sig.arg_count,
  coalesce(pg_catalog.pg_get_function_result(p.oid), 'void') as return_type,
  l.lanname as language,
  case
    when p.prosqlbody is not null then pg_catalog.pg_get_function_sqlbody(p.oid)
    when l.lanname operator(pg_catalog.=) any ('{sql,plpgsql}'::pg_catalog.name[]) then p.prosrc
  end as body,
  p.prorettype operator(pg_catalog.=) 'pg_catalog.trigger'::pg_catalog.regtype as is_trigger_function,
  pg_catalog.obj_description(p.oid, 'pg_proc') as comment,
  exists (
    select 1 from pg_catalog.pg_depend d
    where d.classid operator(pg_catalog.=) 'pg_catalog.pg_proc'::pg_catalog.regclass
      and d.objid operator(pg_catalog.=) p.oid
      and d.deptype operator(pg_catalog.=) 'e'
  ) as extension_owned
from pg_catalog.pg_proc p
join pg_catalog.pg_namespace n on n.oid operator(pg_catalog.=) p.pronamespace
join pg_catalog.pg_language l on l.oid operator(pg_catalog.=) p.prolang
cross join lateral (
  select
    coalesce(pg_catalog.string_agg(pg_catalog.format_type(a.type_oid, null), ', ' order by a.ord), '') as arg_types,
    pg_catalog.count(*)::int as arg_count
  from rows from (
    pg_catalog.unnest(
      case
        when p.prokind operator(pg_catalog.=) 'p' and p.proallargtypes is not null then p.proallargtypes
        else p.proargtypes::pg_catalog.oid[]
      end
    ),
    pg_catalog.unnest(
      case
        when p.prokind operator(pg_catalog.=) 'p' and p.proallargtypes is not null then p.proargmodes
        else null::pg_catalog."char"[]
      end
    )
  ) with ordinality as a(type_oid, mode, ord)
  where coalesce(a.mode, 'i') operator(pg_catalog.<>) 't'
) sig
where n.nspname operator(pg_catalog.<>) all ('{pg_catalog,information_schema}'::pg_catalog.name[])
  and n.nspname operator(pg_catalog.!~) '^pg_(toast|temp)'
  and not exists (
    select 1 from pg_catalog.pg_depend d
    where d.classid operator(pg_catalog.=) 'pg_catalog.pg_proc'::pg_catalog.regclass
      and d.objid operator(pg_catalog.=) p.oid
      and d.deptype operator(pg_catalog.=) 'i'
  )
