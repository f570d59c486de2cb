-- The PUE of each data centre for each year equipment there was in use (DESIGN.md, "Use"):
-- the site's own figure (parameter `pue`, scope `datacentre`, key its sys_id), else the
-- factor set's default; a figure valid in the year first (macros/factor_choice.sql).
with

located as (
    select * from {{ ref('int_hardware_assets_located') }}
    where is_in_data_centre
),

shares as (
    select * from {{ ref('int_use_phase_shares_allocated') }}
),

parameters as (
    select * from {{ ref('stg_factors__parameters') }}
    where parameter = 'pue' and scope = 'datacentre' and value is not null
),

site_years as (
    select distinct
        located.data_centre_id,
        shares.reporting_year,
        shares.year_starts_on,
        shares.next_year_starts_on
    from located
    inner join shares on located.asset_id = shares.asset_id
),

ranked as (
    select
        site_years.data_centre_id,
        site_years.reporting_year,
        parameters.parameter_id,
        parameters.flag,
        parameters.value,
        coalesce(parameters.value_min, parameters.value) as value_min,
        coalesce(parameters.value_max, parameters.value) as value_max,
        {{ factor_fallback('parameters.valid_from', 'parameters.valid_to',
            'site_years.year_starts_on', 'site_years.next_year_starts_on') }} as pue_fallback,
        {{ factor_rank(
            ['site_years.data_centre_id', 'site_years.reporting_year'],
            valid_from='parameters.valid_from',
            valid_to='parameters.valid_to',
            starts_on='site_years.year_starts_on',
            ends_on='site_years.next_year_starts_on',
            specificity="case when parameters.parameter_key = 'default' then 1 else 0 end",
            precedence='parameters.precedence',
            row_id='parameters.parameter_id'
        ) }} as candidate_rank
    from site_years
    inner join parameters
        on parameters.parameter_key in (site_years.data_centre_id, 'default')
),

final as (
    select
        data_centre_id,
        reporting_year,
        parameter_id as pue_parameter_id,
        pue_fallback,
        flag as pue_flag,
        value as pue,
        value_min as pue_min,
        value_max as pue_max
    from ranked
    where candidate_rank = 1
)

select * from final
