-- Every emission factor and parameter of the factor set the build read, with its source:
-- what a footprint row's `factor_id`, `energy_parameter_id` and `pue_parameter_id` name, as
-- `empreinte factors show ID` and `empreinte explain` show them.
with

factors as (
    select * from {{ ref('stg_factors__emission_factors') }}
),

parameters as (
    select * from {{ ref('stg_factors__parameters') }}
),

final as (
    select
        factor_id,
        'emission_factor' as factor_kind,
        factor_set,
        data_set,
        edition,
        scope,
        factor_key,
        stage,
        criterion,
        value,
        value_min,
        value_max,
        unit,
        valid_from,
        valid_to,
        quality,
        flag,
        source_title,
        source_url,
        source_year
    from factors
    union all
    select
        parameter_id as factor_id,
        'parameter' as factor_kind,
        factor_set,
        data_set,
        cast(null as {{ dbt.type_string() }}) as edition,
        scope,
        parameter_key as factor_key,
        cast(null as {{ dbt.type_string() }}) as stage,
        parameter as criterion,
        value,
        value_min,
        value_max,
        unit,
        valid_from,
        valid_to,
        quality,
        flag,
        source_title,
        cast(null as {{ dbt.type_string() }}) as source_url,
        source_year
    from parameters
)

select * from final
