-- The inputs of each device's footprint rows, at the grain they are decided (asset × reporting
-- year × method × stage; the same for every criterion), so `empreinte explain` can put the
-- numbers in words: an embodied row is its factor's value (dim_factors) × `share`; a use row
-- is `annual_energy_kwh` × `pue` × `year_share` × its grid factor's value (dim_factors). Read
-- from what the footprint itself is computed from, never joined again here.
with

embodied_shares as (
    select * from {{ ref('int_embodied_shares_weighted') }}
),

use_inputs as (
    select * from {{ ref('int_use_phase_inputs_joined') }}
),

methods as (
    {{ accounting_methods() }}
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
        use_inputs.asset_id,
        use_inputs.reporting_year,
        methods.method,
        'use' as stage,
        cast(null as {{ type_double() }}) as share,
        use_inputs.year_share,
        use_inputs.annual_energy_kwh,
        use_inputs.pue,
        use_inputs.country_code
    from use_inputs
    cross join methods
),

final as (
    select * from embodied
    union all
    select * from use_phase
)

select * from final
