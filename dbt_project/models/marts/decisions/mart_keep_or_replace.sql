-- Keep a device one more year, or replace it? One row per model cohort (the held devices of
-- one model and category bought the same year) × criterion, per unit and per year:
--   embodied avoided by keeping = the replacement's embodied impact / its lifetime (keeping
--                                  one more year defers its purchase by a year);
--   use saving of replacing     = the cohort's yearly use − the replacement's at the same
--                                  sites (the cohort's use × the ratio of annual energies);
--   break-even years            = the replacement's embodied impact / the use saving: how
--                                  long it must run to pay its manufacture back (none when
--                                  it saves nothing).
-- Keeping wins while the embodied impact avoided is at least the saving (equivalently, the
-- break-even is at least the replacement's lifetime). The replacement of a category is the
-- model most acquired in the year before the as-of date (else the latest acquired).
with

assets as (
    select * from {{ ref('dim_hardware_assets') }}
),

models as (
    select * from {{ ref('dim_models') }}
),

shares as (
    select * from {{ ref('int_use_phase_shares_allocated') }}
),

use_phase as (
    select * from {{ ref('int_use_phase_impacts_computed') }}
    where method = 'amortised'
),

energy as (
    select * from {{ ref('int_annual_energy_matched') }}
),

unit_factors as (
    select * from {{ ref('int_model_embodied_factors_matched') }}
),

unit_parameters as (
    select * from {{ ref('int_model_parameters_matched') }}
),

held as (
    select * from assets
    where disposed_on is null and has_use_phase and model_id is not null
),

-- Each held asset's latest year of use, as a full year (its use ÷ the share of the year).
latest_years as (
    select
        asset_id,
        max(reporting_year) as reporting_year
    from shares
    where year_share > 0
    group by asset_id
),

yearly_use as (
    select
        held.asset_id,
        held.model_id,
        held.device_category,
        {{ year_of('held.acquired_on') }} as acquired_year,
        held.lifetime_years,
        use_phase.criterion,
        use_phase.unit,
        use_phase.value / shares.year_share as annual_use,
        energy.annual_energy_kwh
    from held
    inner join latest_years on held.asset_id = latest_years.asset_id
    inner join shares
        on
            latest_years.asset_id = shares.asset_id
            and latest_years.reporting_year = shares.reporting_year
    inner join use_phase
        on
            shares.asset_id = use_phase.asset_id
            and shares.reporting_year = use_phase.reporting_year
    inner join energy
        on
            shares.asset_id = energy.asset_id
            and shares.reporting_year = energy.reporting_year
),

cohorts as (
    select
        model_id,
        device_category,
        acquired_year,
        criterion,
        unit,
        count(*) as assets,
        avg(lifetime_years) as lifetime_years,
        avg(annual_use) as annual_use,
        avg(annual_energy_kwh) as annual_energy_kwh
    from yearly_use
    group by model_id, device_category, acquired_year, criterion, unit
),

-- The replacement of each category: most acquired in the year before the as-of date.
acquisitions as (
    select
        device_category,
        model_id,
        sum(
            case
                when
                    acquired_on >= {{ add_days(as_of_date(), -365) }}
                    and acquired_on < {{ as_of_date() }}
                    then 1
                else 0
            end
        ) as recent_acquisitions,
        max(acquired_on) as last_acquired_on
    from assets
    where model_id is not null and acquired_on < {{ as_of_date() }}
    group by device_category, model_id
),

replacements as (
    select
        device_category,
        model_id as replacement_model_id,
        row_number() over (
            partition by device_category
            order by recent_acquisitions desc, last_acquired_on desc, model_id asc
        ) as replacement_rank
    from acquisitions
),

replacement_embodied as (
    select
        model_id,
        criterion,
        sum(value) as embodied,
        sum(value_min) as embodied_min,
        sum(value_max) as embodied_max
    from unit_factors
    group by model_id, criterion
),

compared as (
    select
        cohorts.*,
        replacements.replacement_model_id,
        replacement_embodied.embodied as replacement_embodied,
        replacement_embodied.embodied_min as replacement_embodied_min,
        replacement_embodied.embodied_max as replacement_embodied_max,
        unit_parameters.lifetime_years as replacement_lifetime_years,
        cohorts.annual_use * unit_parameters.annual_energy_kwh
        / nullif(cohorts.annual_energy_kwh, 0) as replacement_annual_use
    from cohorts
    inner join replacements
        on
            cohorts.device_category = replacements.device_category
            and replacements.replacement_rank = 1
    inner join replacement_embodied
        on
            replacements.replacement_model_id = replacement_embodied.model_id
            and cohorts.criterion = replacement_embodied.criterion
    inner join unit_parameters on replacements.replacement_model_id = unit_parameters.model_id
),

weighed as (
    select
        *,
        replacement_embodied / replacement_lifetime_years as embodied_avoided_per_year,
        -- A replacement drawing the same energy saves nothing: its use, computed through a
        -- ratio of averages, can differ from the cohort's in the last bits only, which would
        -- give a break-even of millions of years (and one that depends on the engine).
        case
            when
                abs(annual_use - replacement_annual_use)
                <= 1e-9 * abs(annual_use)
                then 0
            else annual_use - replacement_annual_use
        end as use_saving_per_year
    from compared
),

final as (
    select
        weighed.model_id,
        models.model_name,
        weighed.device_category,
        weighed.acquired_year,
        {{ year_of(as_of_date()) }} - weighed.acquired_year as age_years,
        weighed.assets,
        weighed.criterion,
        weighed.unit,
        weighed.lifetime_years,
        weighed.annual_use,
        weighed.replacement_model_id,
        replacements.model_name as replacement_model_name,
        weighed.replacement_embodied,
        weighed.replacement_embodied_min,
        weighed.replacement_embodied_max,
        weighed.replacement_lifetime_years,
        weighed.replacement_annual_use,
        weighed.embodied_avoided_per_year,
        weighed.use_saving_per_year,
        weighed.embodied_avoided_per_year - weighed.use_saving_per_year
            as net_saving_of_keeping,
        (weighed.embodied_avoided_per_year - weighed.use_saving_per_year) * weighed.assets
            as cohort_net_saving_of_keeping,
        case
            when weighed.use_saving_per_year > 0
                then weighed.replacement_embodied / weighed.use_saving_per_year
        end as break_even_years,
        case
            when weighed.embodied_avoided_per_year >= weighed.use_saving_per_year then 'keep'
            else 'replace'
        end as decision,
        {{ as_of_date() }} as as_of_date
    from weighed
    left join models on weighed.model_id = models.model_id
    left join models as replacements on weighed.replacement_model_id = replacements.model_id
)

select * from final
