-- severity: warn
-- Cases returning after the as-of date: loaded, flagged.
select case_id from {{ ref('stg_cases') }} where return_date > date '{{ as_of }}'
