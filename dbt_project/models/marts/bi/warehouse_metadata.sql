-- One row about the published warehouse: as of which day it counts, with which factor set and
-- from which run. The publish step fills in `published_at` and `published_version`.
-- The run comes from the environment, not from a var: dbt parses the project again whenever its
-- vars change, and a new run id every night would make every night parse it whole.
with

footprint as (
    select * from {{ ref('fct_footprint_yearly') }}
),

final as (
    select
        {{ as_of_date() }} as as_of_date,
        min(footprint.factor_set) as factor_set,
        cast(
            {{ quoted_or_null(env_var('EMPREINTE_RUN_ID', '')) }} as {{ dbt.type_string() }}
        ) as run_id,
        cast(null as timestamp) as published_at,
        cast(null as {{ dbt.type_string() }}) as published_version
    from footprint
)

select * from final
