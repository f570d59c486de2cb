-- The scenario runs: each variant's yearly footprint, as the scenario command archived it.
with

source as (
    select * from {{ source('scenarios', 'runs') }}
),

renamed as (
    select
        scenario_name,
        scenario_title,
        cast(run_at as {{ dbt.type_timestamp() }}) as run_at,
        cast(as_of_date as date) as as_of_date,
        variant,
        factor_set,
        cast(reporting_year as integer) as reporting_year,
        method,
        criterion,
        unit,
        value,
        value_min,
        value_max
    from source
)

select * from renamed
