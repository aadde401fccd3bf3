{#- Building blocks of the indicator models (see also case_periods below).

    periods(relation, date_col): one row per record and period type (month,
    quarter, year, to_date) that its placing date falls in, up to the as-of
    date, with the period's first day as period_day (null for to_date).
    Placed rows carry that one date, not the period's three labels: the
    labels (period, period_start, period_end) are computed by aggregate()
    on its few output rows, not on every placed row (at 1 M cases, labelling
    7.7 M placed rows took 4.7 s of int_assisted_periods alone).

    aggregate(id, relation, breakdowns, numerator, denominator, where, having, support,
              numerator_key, denominator_key):
    the indicator's rows, once per project and once for 'ALL' (recomputed
    over all records, never summed), one group of rows per breakdown.
    'vulnerability' counts a record once under each of its codes.
    numerator and denominator are exact decimals (indicator_values makes
    them doubles), to_date's period_end is null (indicator_values sets the
    as-of date), and `support` counts the records behind each row, so a
    delta run can add and subtract rows of some cases exactly
    (README, Delta runs). numerator_key and denominator_key sum the record
    keys of the records behind the numerator and the denominator
    (macros/disclosure.sql): every row of `relation` is one contributor
    unless they say otherwise. A row whose denominator is 0 is kept here
    and dropped by indicator_values: with a `having` the model would no
    longer be a sum over cases. -#}

{% macro periods(relation, date_col) -%}
select
    r.*,
    pt.period_type,
    {{ period_day_of('pt.period_type', 'r.' ~ date_col) }} as period_day
from {{ relation }} r
cross join (values ('month'), ('quarter'), ('year'), ('to_date')) as pt(period_type)
where r.{{ date_col }} is not null and r.{{ date_col }} <= date '{{ as_of }}'
{%- endmacro %}

{#- period_columns(period_type, day): period, period_start and period_end
    of the period of type `period_type` (month, quarter, year, to_date)
    that contains the date `day`; to_date has no start and ends on the
    as-of date (null with open_end, as the indicator models keep it). Any day of a period gives the same three values. -#}
{% macro period_columns(period_type, day, open_end=false) -%}
    {{ period_label(period_type, day) }} as period,
    {{ period_day_of(period_type, day) }} as period_start,
    case {{ period_type }}
        when 'month' then cast(cast(date_trunc('month', {{ day }}) as date) + interval '1 month' - interval '1 day' as date)
        when 'quarter' then cast(cast(date_trunc('quarter', {{ day }}) as date) + interval '3 month' - interval '1 day' as date)
        when 'year' then cast(cast(date_trunc('year', {{ day }}) as date) + interval '1 year' - interval '1 day' as date)
        else {{ 'cast(null as date)' if open_end else "date '" ~ as_of ~ "'" }}
    end as period_end
{%- endmacro %}

{#- period_label(period_type, day): the `period` text of the period of type
    `period_type` that contains `day` (2026-06, 2026-Q2, 2026, to_date). -#}
{% macro period_label(period_type, day) -%}
    case {{ period_type }}
        when 'month' then to_char({{ day }}, '%Y-%m')
        when 'quarter' then concat(to_char({{ day }}, '%Y'), '-Q', cast(cast(date_part('quarter', {{ day }}) as bigint) as varchar))
        when 'year' then to_char({{ day }}, '%Y')
        else 'to_date'
    end
{%- endmacro %}

{% macro aggregate(id, relation, breakdowns, numerator, denominator='null', where='true', having='true', support='count(*)', numerator_key='sum(record_key)', denominator_key='null') -%}
{#- One pass per population: the breakdowns that are plain columns, each
    per project and for 'ALL', are the grouping sets of one aggregation
    over one scan of `relation` (a union all per breakdown would scan and
    compute it again for each: DataFusion does not share a CTE). grouping()
    tells a set's own null (no project: 'ALL'; no breakdown column:
    'total') from a null in the data. 'vulnerability' counts a record once
    under each of its codes, so it cannot share the pass: its unnested rows
    are a second aggregation. On Ballista the plan is aggregate_union()
    instead: there, grouping sets beside an unnest over an empty input
    never finished (tests/ballista.rs, entities_without_any_file_build_on_ballista). -#}
{%- if engine == 'ballista' %}
{{ aggregate_union(id, relation, breakdowns, numerator, denominator, where, having, support, numerator_key, denominator_key) }}
{%- else %}
{%- set plain = breakdowns | reject('equalto', 'vulnerability') | list %}
{%- set columns = plain | reject('equalto', 'total') | list %}
, scoped as (
    select * from {{ relation }} where {{ where }}
)
select {{ labelled_columns(id) }} from (
{%- if plain %}
select
    case when grouping(project_code) = 1 then 'ALL' else project_code end as project_code,
    period_type,
    period_day,
    {% if columns -%}
    case{% for b in columns %} when grouping({{ b }}) = 0 then '{{ b }}'{% endfor %} else 'total' end as breakdown,
    case{% for b in columns %} when grouping({{ b }}) = 0 then cast({{ b }} as varchar){% endfor %} else 'total' end as breakdown_value,
    {%- else -%}
    'total' as breakdown,
    'total' as breakdown_value,
    {%- endif %}
    {{ measure_columns(numerator, denominator, support, numerator_key, denominator_key) }}
from scoped
group by grouping sets (
    {%- for b in plain %}{% set outer = loop %}{% for scope in ['project_code, ', ''] %}
    ({{ scope }}period_type, period_day{% if b != 'total' %}, {{ b }}{% endif %}){% if not (outer.last and loop.last) %},{% endif %}
    {%- endfor %}{% endfor %}
)
having {{ having }}
{%- endif %}
{%- if 'vulnerability' in breakdowns %}
{% if plain %}union all{% endif %}
select
    case when grouping(project_code) = 1 then 'ALL' else project_code end as project_code,
    period_type,
    period_day,
    'vulnerability' as breakdown,
    cast(breakdown_value as varchar) as breakdown_value,
    {{ measure_columns(numerator, denominator, support, numerator_key, denominator_key) }}
from (select *, unnest(vulnerability_list) as breakdown_value from scoped) x
group by grouping sets (
    (project_code, period_type, period_day, breakdown_value),
    (period_type, period_day, breakdown_value)
)
having {{ having }}
{%- endif %}
) aggregated
{%- endif %}
{%- endmacro %}

{#- aggregate_union: aggregate()'s rows as one aggregation per breakdown and
    a union all of them, over a copy of the rows per scope: the plan the
    Ballista engine gets (see aggregate()). -#}
{% macro aggregate_union(id, relation, breakdowns, numerator, denominator, where, having, support, numerator_key, denominator_key) -%}
, scoped as (
    select r.*, case when s.scope = 'all' then 'ALL' else r.project_code end as scope_project
    from {{ relation }} r
    cross join (values ('own'), ('all')) as s(scope)
    where {{ where }}
)
select {{ labelled_columns(id) }} from (
{% for b in breakdowns %}
{% if not loop.first %}union all{% endif %}
select
    scope_project as project_code,
    period_type,
    period_day,
    '{{ b }}' as breakdown,
    cast(breakdown_value as varchar) as breakdown_value,
    {{ measure_columns(numerator, denominator, support, numerator_key, denominator_key) }}
from (
    select
        *,
        {% if b == 'total' %}'total'{% elif b == 'vulnerability' %}unnest(vulnerability_list){% else %}{{ b }}{% endif %} as breakdown_value
    from scoped
) x
group by scope_project, period_type, period_day, breakdown_value
having {{ having }}
{% endfor %}
) aggregated
{%- endmacro %}

{#- labelled_columns and measure_columns: the columns of every indicator
    model, in order. labelled_columns() selects them from aggregated rows
    (project_code, period_type, period_day, breakdown, breakdown_value and
    the measures) and labels each row's period; to_date's period_end is
    null: indicator_values fills in the as-of date, so a delta run under a
    new as-of date still finds last night's row. -#}
{% macro labelled_columns(id) -%}
    '{{ id }}' as indicator_id,
    project_code,
    period_type,
    {{ period_columns('period_type', 'period_day', open_end=true) }},
    breakdown,
    breakdown_value,
    numerator,
    denominator,
    support,
    numerator_key,
    denominator_key
{%- endmacro %}

{% macro measure_columns(numerator, denominator, support, numerator_key, denominator_key) -%}
    cast({{ numerator }} as decimal(38, 20)) as numerator,
    cast({{ denominator }} as decimal(38, 20)) as denominator,
    cast({{ support }} as bigint) as support,
    cast({{ numerator_key }} as bigint) as numerator_key,
    cast({{ denominator_key }} as bigint) as denominator_key
{%- endmacro %}

{#- rollup(id, relation, breakdowns, numerator, denominator, date_col): the
    rows aggregate() gives, for additive measures only (counts and sums, never
    a distinct count). The measures are computed once per project, period and
    combination of breakdown values (`partial`), then summed per breakdown,
    for each project and for 'ALL': one pass over the records instead of two
    per breakdown.

    With `date_col`, `relation` holds records not yet placed in periods: they
    are summed per month first, and only those sums are placed in the month,
    quarter, year and to-date that contain the month (a day's month lies in
    the same quarter and year as the day). Without it, `relation` is already
    placed (it has period_type, period, period_start, period_end).

    numerator_key and denominator_key: as for aggregate(), over `relation`'s
    rows.

    It pays only when the breakdown values repeat (events per month). Over
    one row per case and period (person counts) nearly every combination is
    unique, the partial step saves nothing, and grouping by the
    vulnerability list is slow (1 M cases: ind_returnees_assisted took 67 s
    with rollup, under 6 s with aggregate); person counts use aggregate(). -#}
{% macro rollup(id, relation, breakdowns, numerator, denominator=none, date_col=none, numerator_key='sum(record_key)', denominator_key=none) -%}
{%- set keys -%}
project_code{% if date_col %}, placing_month{% else %}, period_type, period_day{% endif -%}
{% for b in breakdowns if b != 'total' %}, {{ 'vulnerability_list' if b == 'vulnerability' else b }}{% endfor %}
{%- endset %}
, partial_rows as (
    select
        *{% if date_col %},
        cast(date_trunc('month', {{ date_col }}) as date) as placing_month{% endif %}
    from {{ relation }}
    {%- if date_col %}
    where {{ date_col }} is not null and {{ date_col }} <= date '{{ as_of }}'
    {%- endif %}
),

partial as (
    select
        {{ keys }},
        {{ numerator }} as part_numerator,
        {{ denominator if denominator else 'cast(null as bigint)' }} as part_denominator,
        count(*) as part_support,
        {{ numerator_key }} as part_numerator_key,
        {{ denominator_key if denominator_key else 'cast(null as bigint)' }} as part_denominator_key
    from partial_rows
    group by {{ keys }}
){% if date_col %},

placed_partial as ({{ periods('partial', 'placing_month') }})
{%- endif %}

{{ aggregate(id, 'placed_partial' if date_col else 'partial', breakdowns, 'sum(part_numerator)',
    'sum(part_denominator)' if denominator else 'null', support='sum(part_support)',
    numerator_key='sum(part_numerator_key)',
    denominator_key='sum(part_denominator_key)' if denominator_key else 'null') }}
{%- endmacro %}

{#- case_periods(relation, date_col): one row per case and period in which
    the case has a record of `relation` placed by `date_col`, with the case's
    project and person fields; a period is its type and first day
    (period_day), labelled by aggregate(). Person counts over these rows are
    plain counts. Use it in a materialised intermediate model: the join to
    the cases then happens once, not once per breakdown.

    A case's records are sorted by month (narrow rows: the case's number and
    the month), and each is compared with the one before: it opens the
    case's month, quarter, year or to-date when the previous record is
    another case's or lies in an earlier such period. A record opens at most
    four periods (unnest of their names), and every opened period is
    distinct. Placing each record in all four and dropping duplicates
    instead was a hash distinct of 11 M rows at 1 M cases, which spilled.
    The window is partitioned by a bucket of the case (see
    ind_sdg_returnees_reached). `relation` needs stg_cases' case_key (the
    run's number for each case). -#}
{% macro case_periods(relation, date_col) -%}
select
    c.case_id,
    c.record_key,
    p.period_type,
    {{ period_day('p.period_type', 'p.placing_month') }} as period_day,
    c.project_code,
    c.beneficiary_type,
    c.sex,
    c.age,
    c.age_group,
    c.country_of_origin,
    c.host_country,
    c.vulnerability_list,
    c.return_programme
from (
    select
        case_key,
        placing_month,
        unnest(make_array(
            {%- for pt in ['month', 'quarter', 'year', 'to_date'] %}
            case when {{ opens(pt, 'previous_case is distinct from case_key', 'previous_month', 'placing_month') }} then '{{ pt }}' end{% if not loop.last %},{% endif %}
            {%- endfor %}
        )) as period_type
    from (
        select
            case_key,
            placing_month,
            lag(case_key) over w as previous_case,
            lag(placing_month) over w as previous_month
        from (
            select case_key, cast(date_trunc('month', {{ date_col }}) as date) as placing_month
            from {{ relation }}
            where {{ date_col }} is not null and {{ date_col }} <= date '{{ as_of }}'
        ) m
        window w as (partition by case_key % 16 order by case_key, placing_month)
    ) s
) p
join {{ ref('stg_cases') }} c on c.case_key = p.case_key
where p.period_type is not null
{%- endmacro %}

{#- period_day(period_type, month): the first day of the period of type
    `period_type` that contains the month starting on `month`; null for
    to_date. A key for deduplicating rows by period before period_columns()
    labels them. -#}
{% macro period_day(period_type, month) -%}
case {{ period_type }}
    when 'month' then {{ month }}
    when 'quarter' then cast(date_trunc('quarter', {{ month }}) as date)
    when 'year' then cast(date_trunc('year', {{ month }}) as date)
end
{%- endmacro %}

{#- opens(pt, new_run, previous_month, month): whether a row, in the order
    of its run (a case, or a case and value) and month, is its run's first
    in the period of type `pt` ('month', …, 'to_date') that contains
    `month`: it starts a new run (the condition `new_run`), or the previous
    row's month lies in an earlier such period. Used by case_periods and
    ind_sdg_returnees_reached. -#}
{% macro opens(pt, new_run, previous_month, month) -%}
({{ new_run }}){% if pt != 'to_date' %} or ({{ period_day("'" ~ pt ~ "'", previous_month) }} <> {{ period_day("'" ~ pt ~ "'", month) }}){% endif %}
{%- endmacro %}

{#- period_day_of(period_type, day): period_day() of any day, not only a
    month's first. -#}
{% macro period_day_of(period_type, day) -%}
case {{ period_type }}
    when 'month' then cast(date_trunc('month', {{ day }}) as date)
    when 'quarter' then cast(date_trunc('quarter', {{ day }}) as date)
    when 'year' then cast(date_trunc('year', {{ day }}) as date)
end
{%- endmacro %}

{#- exact_sum(expr, scale): the sum of a fractional column, the same whatever
    order the rows arrive in. Floating-point addition is not associative, and
    the row order changes with the file layout (an incremental merge lays rows
    out differently from a full rebuild), so a double sum can differ in its
    last digits from run to run. Each value is taken to `scale` decimals and
    summed as an exact decimal.

    The default, 20 decimals, is far below a double's own precision: right
    for computed values such as scores. Amounts are written decimals held in
    a double; with scale=6 each is rounded back to the decimal it was written
    as (any amount below 10^9 with at most 6 decimals), so a sum of cents is
    exactly that sum, not one off in its 11th digit. -#}
{% macro exact_sum(expr, scale=20) -%}
sum(cast({{ expr }} as decimal(38, {{ scale }})))
{%- endmacro %}
