-- The inputs of each device's footprint rows, at the grain they are decided (asset × reporting
-- year × method × stage; the same for every criterion), so `empreinte explain` can put the
-- numbers in words: an embodied row is its factor's value (dim_factors) × `share`; a use row
-- is `annual_energy_kwh` × `pue` × `year_share` × its grid factor's value (dim_factors).
with

embodied_shares as (
    select * from {{ ref('int_embodied_shares_allocated') }}
),

use_shares as (
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

methods as (
    select 'amortised' as method
    union all
    select 'acquisition' as method
),

embodied as (
    select
        asset_id,
        reporting_year,
        method,
        stage,
        share,
        cast(null as {{ type_double() }}) as year_share,
        cast(null as {{ type_double() }}) as annual_energy_kwh,
        cast(null as {{ type_double() }}) as pue,
        cast(null as {{ dbt.type_string() }}) as country_code
    from embodied_shares
),

use_phase as (
    select
        use_shares.asset_id,
        use_shares.reporting_year,
        methods.method,
        'use' as stage,
        cast(null as {{ type_double() }}) as share,
        use_shares.year_share,
        energy.annual_energy_kwh,
        -- Outside a data centre the energy is not multiplied (PUE 1).
        coalesce(pue.pue, 1.0) as pue,
        located.country_code
    from use_shares
    inner join energy
        on
            use_shares.asset_id = energy.asset_id
            and use_shares.reporting_year = energy.reporting_year
    inner join located on use_shares.asset_id = located.asset_id
    left join pue
        on
            located.data_centre_id = pue.data_centre_id
            and use_shares.reporting_year = pue.reporting_year
    cross join methods
),

final as (
    select * from embodied
    union all
    select * from use_phase
)

select * from final
