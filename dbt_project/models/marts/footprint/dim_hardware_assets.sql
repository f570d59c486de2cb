-- Every hardware asset with its dimensions (ids and names), the dates of its life, its
-- category and how it was decided, its lifetime, where it is, and the level of the factor
-- matched to it (`unmapped` when none was found).
with

assets as (
    select * from {{ ref('stg_servicenow__hardware_assets') }}
),

dates as (
    select * from {{ ref('int_hardware_assets_dated') }}
),

categorised as (
    select * from {{ ref('int_hardware_assets_categorised') }}
),

lifetimes as (
    select * from {{ ref('int_lifetimes_matched') }}
),

located as (
    select * from {{ ref('int_hardware_assets_located') }}
),

-- The use phase as the rules count it (install date and status history).
use_phases as (
    select
        asset_id,
        min(period_starts_on) as use_started_on
    from {{ ref('int_hardware_assets_in_use_periods') }}
    group by asset_id
),

-- The level of the factor behind the manufacturing climate figure sums up an asset's match.
embodied_matches as (
    select * from {{ ref('int_embodied_factors_matched') }}
    where stage = 'manufacturing' and criterion = 'climate_change'
),

models as (
    select * from {{ ref('dim_models') }}
),

model_categories as (
    select * from {{ ref('stg_servicenow__model_categories') }}
),

towns as (
    select * from {{ ref('dim_towns') }}
),

locations as (
    select * from {{ ref('stg_servicenow__locations') }}
),

cost_centers as (
    select * from {{ ref('stg_servicenow__cost_centers') }}
),

departments as (
    select * from {{ ref('stg_servicenow__departments') }}
),

final as (
    select
        assets.asset_id,
        assets.asset_tag,
        assets.town_id,
        towns.town_name,
        assets.location_id,
        locations.location_name,
        located.country_code,
        located.has_known_country,
        located.is_in_data_centre,
        located.data_centre_id,
        assets.cost_center_id,
        cost_centers.cost_center_name,
        assets.department_id,
        departments.department_name,
        assets.model_id,
        models.model_name,
        models.manufacturer_name,
        coalesce(own_categories.model_category_name, models.model_category_name)
            as model_category_name,
        categorised.device_category,
        categorised.category_source,
        assets.install_status,
        assets.substatus,
        dates.acquired_on,
        use_phases.use_started_on,
        dates.disposed_on,
        use_phases.asset_id is not null as has_use_phase,
        lifetimes.lifetime_years,
        lifetimes.lifetime_months,
        lifetimes.lifetime_source,
        lifetimes.lifetime_parameter_id,
        {{ add_months('dates.acquired_on', 'lifetimes.lifetime_months') }} as window_ends_on,
        coalesce(embodied_matches.match_level, 'unmapped') as match_level,
        embodied_matches.factor_id as manufacturing_factor_id,
        {{ as_of_date() }} as as_of_date
    from assets
    inner join dates on assets.asset_id = dates.asset_id
    inner join categorised on assets.asset_id = categorised.asset_id
    inner join lifetimes on assets.asset_id = lifetimes.asset_id
    inner join located on assets.asset_id = located.asset_id
    left join use_phases on assets.asset_id = use_phases.asset_id
    left join embodied_matches on assets.asset_id = embodied_matches.asset_id
    left join models on assets.model_id = models.model_id
    left join model_categories as own_categories
        on assets.model_category_id = own_categories.model_category_id
    left join towns on assets.town_id = towns.town_id
    left join locations on assets.location_id = locations.location_id
    left join cost_centers on assets.cost_center_id = cost_centers.cost_center_id
    left join departments on assets.department_id = departments.department_id
)

select * from final
