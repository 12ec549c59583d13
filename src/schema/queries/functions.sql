-- Functions, procedures, aggregates and window functions. arg_types is the call signature
-- without parameter names, so renaming a parameter does not change the id: proargtypes for
-- functions; for procedures OUT parameters are part of the signature (CALL passes them), so
-- they come from proallargtypes. Constructors Postgres generates for a range type depend on it
-- internally (deptype 'i') and are not anybody's code.
select
  p.oid::int8 as oid,
  n.nspname as schema,
  p.proname as name,
  p.prokind::text as prokind,
  pg_get_function_identity_arguments(p.oid) as identity_args,
  sig.arg_types,
  sig.arg_count,
  coalesce(pg_get_function_result(p.oid), 'void') as return_type,
  l.lanname as language,
  case
    when p.prosqlbody is not null then pg_get_function_sqlbody(p.oid)
    when l.lanname in ('sql', 'plpgsql') then p.prosrc
  end as body,
  p.prorettype = 'trigger'::regtype as is_trigger_function,
  obj_description(p.oid, 'pg_proc') as comment,
  exists (
    select 1 from pg_depend d
    where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e'
  ) as extension_owned
from pg_proc p
join pg_namespace n on n.oid = p.pronamespace
join pg_language l on l.oid = p.prolang
cross join lateral (
  select
    coalesce(string_agg(format_type(a.type_oid, null), ', ' order by a.ord), '') as arg_types,
    count(*)::int as arg_count
  from unnest(
    case when p.prokind = 'p' and p.proallargtypes is not null then p.proallargtypes else p.proargtypes::oid[] end,
    case when p.prokind = 'p' and p.proallargtypes is not null then p.proargmodes else null::"char"[] end
  ) with ordinality as a(type_oid, mode, ord)
  where coalesce(a.mode, 'i') <> 't'
) sig
where n.nspname not in ('pg_catalog', 'information_schema')
  and n.nspname !~ '^pg_(toast|temp)'
  and not exists (
    select 1 from pg_depend d
    where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'i'
  )
