{{ config(materialized='view') }}
-- What the use phase of each asset and reporting year is computed from (DESIGN.md, "Use"): the
-- share of the year in use, the annual energy, the country whose grid powers it, and the PUE of
-- the data centre it sits in (1 elsewhere, range included). One place for this join: the
-- impacts (int_use_phase_impacts_computed) and what `empreinte explain` reads
-- (fct_footprint_inputs) both start from it.
with

shares as (
    select * from {{ ref('int_use_phase_shares_allocated') }}
),

energy as (
    select * from {{ ref('int_annual_energy_matched') }}
),

located as (
    select * from {{ ref('int_hardware_assets_located') }}
),

pue as (
    select * from {{ ref('int_pue_matched') }}
),

final as (
    select
        shares.asset_id,
        shares.reporting_year,
        shares.year_share,
        energy.energy_parameter_id,
        energy.energy_match_level,
        energy.energy_fallback,
        energy.energy_flag,
        energy.annual_energy_kwh,
        energy.annual_energy_kwh_min,
        energy.annual_energy_kwh_max,
        located.country_code,
        located.has_known_country,
        pue.pue_parameter_id,
        pue.pue_fallback,
        pue.pue_flag,
        coalesce(pue.pue, 1.0) as pue,
        coalesce(pue.pue_min, 1.0) as pue_min,
        coalesce(pue.pue_max, 1.0) as pue_max
    from shares
    inner join energy
        on
            shares.asset_id = energy.asset_id
            and shares.reporting_year = energy.reporting_year
    inner join located on shares.asset_id = located.asset_id
    left join pue
        on
            located.data_centre_id = pue.data_centre_id
            and shares.reporting_year = pue.reporting_year
)

select * from final
