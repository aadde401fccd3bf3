-- Frozen for benches/duckdb.sh (issue 17): Homeward's model as `homeward compile`
-- rendered it at ed3fc10 (as of 2026-06-30, demo key), in DuckDB's dialect.
-- Never regenerated: the peer of the benchmark does not move.

-- The case funnel of the programme report, as of the as-of date: current
-- returnee cases by how far they got. The stages are cumulative
-- (registered ⊇ returned ⊇ in progress ⊇ completed), so each bar is the
-- number of returnees who reached at least that stage; withdrawn and closed
-- cases are counted apart and in no stage. Once per project and for 'ALL'.
with cases as (
    select project_code, case_status
    from stg_cases
    where beneficiary_type = 'returnee'
),

stages as (
    select * from (values
        (1, 'registered', 'Registered', 'funnel'),
        (2, 'returned', 'Returned', 'funnel'),
        (3, 'reintegration_in_progress', 'Reintegration in progress', 'funnel'),
        (4, 'reintegration_completed', 'Reintegration completed', 'funnel'),
        (5, 'withdrawn', 'Withdrawn', 'apart'),
        (6, 'closed', 'Closed', 'apart')
    ) as s(stage_order, stage, label, kind)
),

ranked as (
    select
        project_code,
        case_status,
        case case_status
            when 'registered' then 1
            when 'returned' then 2
            when 'reintegration_in_progress' then 3
            when 'reintegration_completed' then 4
            when 'withdrawn' then 5
            else 6
        end as status_order
    from cases
),

scoped as (
    select project_code, status_order from ranked
    union all
    select 'ALL' as project_code, status_order from ranked
),

final as (
    select
        p.project_code,
        s.stage_order,
        s.stage,
        s.label,
        s.kind,
        cast(sum(
            case
                when s.kind = 'funnel' and r.status_order <= 4 and r.status_order >= s.stage_order then 1
                when s.kind = 'apart' and r.status_order = s.stage_order then 1
                else 0
            end
        ) as bigint) as cases,
        -- The project's cases (for delta runs: a project none of whose
        -- cases remain has no rows).
        count(r.project_code) as support
    from (select distinct project_code from scoped) p
    cross join stages s
    left join scoped r on r.project_code = p.project_code
    group by p.project_code, s.stage_order, s.stage, s.label, s.kind
)

select * from final
