-- One fingerprint per asset and reporting year: a hash of everything its device rows in
-- fct_footprint are computed from: the year's embodied shares (scenario levers applied), the
-- asset's embodied factors, the year's use-phase inputs and the grid factors of its country
-- and year, and the dimension ids the rows carry. fct_footprint computes the rows of an asset
-- and year again only when this differs from what they were built from
-- (macros/incremental_footprint.sql).
with

shares as (
    select * from {{ ref('int_embodied_shares_weighted') }}
),

factors as (
    select * from {{ ref('int_embodied_factors_matched') }}
),

use_inputs as (
    select * from {{ ref('int_use_phase_inputs_joined') }}
),

grid as (
    select * from {{ ref('int_grid_factors_matched') }}
),

assets as (
    select * from {{ ref('dim_hardware_assets') }}
),

shares_hashed as (
    select
        asset_id,
        reporting_year,
        {{ rows_hash(['method', 'stage', 'share']) }} as shares_hash
    from shares
    group by asset_id, reporting_year
),

factors_hashed as (
    select
        asset_id,
        {{ rows_hash([
            'stage', 'criterion', 'match_level', 'factor_id', 'factor_set', 'flag',
            'factor_fallback', 'value', 'value_min', 'value_max', 'unit'
        ]) }} as factors_hash
    from factors
    group by asset_id
),

grid_hashed as (
    select
        country_code,
        reporting_year,
        {{ rows_hash([
            'criterion', 'match_level', 'factor_id', 'factor_set', 'flag', 'factor_fallback',
            'value', 'value_min', 'value_max', 'unit'
        ]) }} as grid_hash
    from grid
    group by country_code, reporting_year
),

use_hashed as (
    select
        use_inputs.asset_id,
        use_inputs.reporting_year,
        {{ row_hash([
            'use_inputs.year_share', 'use_inputs.energy_parameter_id',
            'use_inputs.energy_match_level', 'use_inputs.energy_fallback',
            'use_inputs.energy_flag', 'use_inputs.annual_energy_kwh',
            'use_inputs.annual_energy_kwh_min', 'use_inputs.annual_energy_kwh_max',
            'use_inputs.country_code', 'use_inputs.has_known_country',
            'use_inputs.pue_parameter_id', 'use_inputs.pue_fallback', 'use_inputs.pue_flag',
            'use_inputs.pue', 'use_inputs.pue_min', 'use_inputs.pue_max', 'grid_hashed.grid_hash'
        ]) }} as use_hash
    from use_inputs
    left join grid_hashed
        on
            use_inputs.country_code = grid_hashed.country_code
            and use_inputs.reporting_year = grid_hashed.reporting_year
),

asset_years as (
    select
        asset_id,
        reporting_year
    from shares_hashed
    union
    select
        asset_id,
        reporting_year
    from use_hashed
),

final as (
    select
        asset_years.asset_id,
        asset_years.reporting_year,
        {{ row_hash([
            'shares_hashed.shares_hash', 'factors_hashed.factors_hash', 'use_hashed.use_hash',
            'assets.town_id', 'assets.location_id', 'assets.cost_center_id',
            'assets.department_id', 'assets.device_category', 'assets.model_id'
        ]) }} as fingerprint
    from asset_years
    left join shares_hashed
        on
            asset_years.asset_id = shares_hashed.asset_id
            and asset_years.reporting_year = shares_hashed.reporting_year
    left join use_hashed
        on
            asset_years.asset_id = use_hashed.asset_id
            and asset_years.reporting_year = use_hashed.reporting_year
    left join factors_hashed on asset_years.asset_id = factors_hashed.asset_id
    left join assets on asset_years.asset_id = assets.asset_id
)

select * from final
