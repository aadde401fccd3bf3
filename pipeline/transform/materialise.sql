{#- The SQL the transform itself writes to keep models: not a project's
    model, but Homeward's mechanics, so it is built into the binary (and not
    copied by `homeward init`). Rendered by `transform/sql.rs`; the table
    names come from `warehouse` (its layout comment lists them). -#}

{#- parts(tables, key): the rows that a model's parts (oldest first) make
    together. With a key, each part's rows whose key no later part has (a
    later part replaces them); without one, every part's rows. -#}
{% macro parts(tables, key) -%}
{%- for part in tables -%}
{%- if not loop.first %} union all {% endif -%}
{%- if key and not loop.last -%}
select p.* from {{ part }} p left anti join ({% for later in tables[loop.index:] %}{% if not loop.first %} union all {% endif %}select {{ key }} from {{ later }}{% endfor %}) l on p.{{ key }} = l.{{ key }}
{%- else -%}
select * from {{ part }}
{%- endif -%}
{%- endfor -%}
{%- endmacro %}

{#- combine(previous, new, old, columns, support): a summed model's result
    in a delta run: its previous result, plus its result over the touched
    cases now (`new`), minus their result before (`old`), group by group.
    `columns` are {name, measure}; a group whose support sums to 0 has no
    rows behind it any more. -#}
{% macro combine(previous, new, old, columns, support) -%}
{%- set names = columns | map(attribute="name") | map("quoted") | join(", ") -%}
select {% for c in columns %}{% if c.measure %}sum({{ c.name | quoted }}) as {{ c.name | quoted }}{% else %}{{ c.name | quoted }}{% endif %}{% if not loop.last %}, {% endif %}{% endfor %} from (select {{ names }} from {{ previous }} union all select {{ names }} from {{ new }} union all select {% for c in columns %}{% if c.measure %}-{{ c.name | quoted }} as {{ c.name | quoted }}{% else %}{{ c.name | quoted }}{% endif %}{% if not loop.last %}, {% endif %}{% endfor %} from {{ old }}) d
{%- set keys = columns | rejectattr("measure") | map(attribute="name") | map("quoted") | join(", ") -%}
{%- if keys %} group by {{ keys }}{% endif %} having sum({{ support | quoted }}) <> 0
{%- endmacro %}

{#- touched(branches): the touched cases of a delta run (column case_id).
    A branch is one of
      {kind: "window", table, case_column, dates, lo, hi}: a record dated
          between the two as-of dates counts in one run and not the other;
      {kind: "new", new, case_column}: the case of a row pulled since;
      {kind: "before", previous, new, case_column, key}: the case each of
          those records belonged to before. -#}
{% macro touched(branches) -%}
{%- if not branches -%}
select cast(null as varchar) as case_id where false
{%- else -%}
select distinct case_id from (
{%- for b in branches -%}
{%- if not loop.first %} union all {% endif -%}
{%- if b.kind == "window" -%}
select {{ b.case_column }} as case_id from {{ b.table }} where {% for d in b.dates %}{% if not loop.first %} or {% endif %}({{ d }} > date '{{ b.lo }}' and {{ d }} <= date '{{ b.hi }}'){% endfor %}
{%- elif b.kind == "new" -%}
select {{ b.case_column }} as case_id from {{ b.new }}
{%- else -%}
select p.{{ b.case_column }} as case_id from {{ b.previous }} p left semi join {{ b.new }} n on p.{{ b.key }} = n.{{ b.key }}
{%- endif -%}
{%- endfor -%}
) t where case_id is not null
{%- endif -%}
{%- endmacro %}

{#- restrict(table, case_column, touched): the rows of `table` that belong
    to the touched cases. The touched cases (thousands) are the build side
    of a hash join; the table (millions) streams through it, never sorted. -#}
{% macro restrict(table, case_column, touched) -%}
select r.* from {{ touched }} t right semi join {{ table }} r on r.{{ case_column }} = t.case_id
{%- endmacro %}
