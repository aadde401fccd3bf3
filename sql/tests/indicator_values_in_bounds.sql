-- severity: error
-- Rates and scores lie within 0 and 1; counts and sums are not negative.
select v.*
from {{ ref('indicator_values') }} v
where v.value < 0
   or (v.denominator is not null and v.indicator_id in (
        {% for ind in indicators if ind.unit in ['rate', 'mean'] %}'{{ ind.id }}'{% if not loop.last %}, {% endif %}{% endfor %}
       ) and v.value > 1 + 1e-9)
