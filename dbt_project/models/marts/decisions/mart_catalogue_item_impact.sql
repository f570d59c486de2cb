-- What ordering one catalogue item causes (DESIGN.md, "Allocation to services": a catalogue
-- item's impact is the impact of what ordering it causes), per hardware item, country whose
-- grid would power it, and criterion: a new unit of its model bought on the as-of date, with
-- the factors a real asset of it would get (int_model_embodied_factors_matched,
-- int_model_parameters_matched):
--   embodied          manufacturing + distribution + end of life;
--   annual use        its yearly electricity × the country's grid intensity of the as-of
--                     year (the latest year the series has up to it); no PUE: a catalogue
--                     device is not in a data centre;
--   per year          embodied / lifetime + annual use;
--   over its life     embodied + annual use × lifetime,
-- with a portal label in English and French ("≈ 210 kg CO2e over 5 years").
-- A service item (no model) causes one more user of the service it is requested for: per year,
-- the service's footprint per user in the latest complete year (mart_footprint_by_service),
-- averaged over the services its requests name, weighted by their requests; no lifetime, so
-- no life impact, and the label says "per year". The figure does not depend on the grid:
-- the same row for every country.
with

items as (
    select * from {{ ref('stg_servicenow__catalogue_items') }}
    where model_id is not null
),

service_items as (
    select * from {{ ref('stg_servicenow__catalogue_items') }}
    where model_id is null
),

requests as (
    select * from {{ ref('stg_servicenow__requested_items') }}
    where service_id is not null
),

services as (
    select * from {{ ref('mart_footprint_by_service') }}
    where method = 'amortised' and not is_unallocated
),

complete_years as (
    select max(reporting_year) as reporting_year
    from {{ ref('dim_reporting_years') }}
    where year_status = 'complete'
),

models as (
    select * from {{ ref('dim_models') }}
),

unit_factors as (
    select * from {{ ref('int_model_embodied_factors_matched') }}
),

unit_parameters as (
    select * from {{ ref('int_model_parameters_matched') }}
),

grid as (
    select * from {{ ref('int_grid_factors_matched') }}
    where reporting_year <= {{ year_of(as_of_date()) }}
),

-- The country's latest grid year up to the as-of year, per criterion.
latest_grid as (
    select
        *,
        row_number() over (
            partition by country_code, criterion order by reporting_year desc
        ) as year_rank
    from grid
),

embodied as (
    select
        model_id,
        criterion,
        unit,
        sum(case when stage = 'manufacturing' then value else 0 end) as manufacturing,
        sum(case when stage = 'distribution' then value else 0 end) as distribution,
        sum(case when stage = 'end_of_life' then value else 0 end) as end_of_life,
        sum(value) as embodied,
        sum(value_min) as embodied_min,
        sum(value_max) as embodied_max
    from unit_factors
    group by model_id, criterion, unit
),

computed as (
    select
        items.catalogue_item_id,
        items.catalogue_item_name,
        items.is_active,
        cast(items.price as {{ type_double() }}) as price,
        items.model_id,
        unit_parameters.device_category,
        latest_grid.country_code,
        embodied.criterion,
        embodied.unit,
        embodied.manufacturing,
        embodied.distribution,
        embodied.end_of_life,
        embodied.embodied,
        embodied.embodied_min,
        embodied.embodied_max,
        unit_parameters.lifetime_years,
        unit_parameters.annual_energy_kwh,
        coalesce(unit_parameters.annual_energy_kwh * latest_grid.value, 0) as annual_use,
        coalesce(unit_parameters.annual_energy_kwh_min * latest_grid.value_min, 0)
            as annual_use_min,
        coalesce(unit_parameters.annual_energy_kwh_max * latest_grid.value_max, 0)
            as annual_use_max
    from items
    inner join embodied on items.model_id = embodied.model_id
    inner join unit_parameters on items.model_id = unit_parameters.model_id
    inner join latest_grid
        on
            embodied.criterion = latest_grid.criterion
            and latest_grid.year_rank = 1
),

-- The services each service item's requests name, and their weight.
item_services as (
    select
        catalogue_item_id,
        service_id,
        count(*) as requests,
        sum(count(*)) over (partition by catalogue_item_id) as item_requests
    from requests
    group by catalogue_item_id, service_id
),

per_user as (
    select
        item_services.catalogue_item_id,
        services.criterion,
        services.unit,
        sum(services.value_per_user * item_services.requests / item_services.item_requests)
            as impact_per_year,
        sum(
            services.value_min / services.users * item_services.requests
            / item_services.item_requests
        ) as impact_per_year_min,
        sum(
            services.value_max / services.users * item_services.requests
            / item_services.item_requests
        ) as impact_per_year_max
    from item_services
    inner join services on item_services.service_id = services.service_id
    inner join complete_years on services.reporting_year = complete_years.reporting_year
    where services.users > 0
    group by item_services.catalogue_item_id, services.criterion, services.unit
),

countries as (
    select distinct country_code from latest_grid
    where year_rank = 1
),

service_rows as (
    select
        service_items.catalogue_item_id,
        service_items.catalogue_item_name,
        service_items.is_active,
        cast(service_items.price as {{ type_double() }}) as price,
        cast(null as {{ dbt.type_string() }}) as model_id,
        cast(null as {{ dbt.type_string() }}) as model_name,
        cast(null as {{ dbt.type_string() }}) as device_category,
        countries.country_code,
        countries.country_code = '{{ var("default_country_code") }}' as is_default_country,
        per_user.criterion,
        per_user.unit,
        cast(null as {{ type_double() }}) as manufacturing,
        cast(null as {{ type_double() }}) as distribution,
        cast(null as {{ type_double() }}) as end_of_life,
        cast(null as {{ type_double() }}) as embodied,
        cast(null as {{ type_double() }}) as embodied_min,
        cast(null as {{ type_double() }}) as embodied_max,
        cast(null as {{ type_double() }}) as lifetime_years,
        cast(null as {{ type_double() }}) as annual_energy_kwh,
        cast(null as {{ type_double() }}) as annual_use,
        cast(null as {{ type_double() }}) as annual_use_min,
        cast(null as {{ type_double() }}) as annual_use_max,
        per_user.impact_per_year,
        per_user.impact_per_year_min,
        per_user.impact_per_year_max,
        cast(null as {{ type_double() }}) as life_impact,
        cast(null as {{ type_double() }}) as life_impact_min,
        cast(null as {{ type_double() }}) as life_impact_max,
        case
            when per_user.criterion = 'climate_change'
                then {{ impact_label('per_user.impact_per_year', none, 'en') }}
        end as label_en,
        case
            when per_user.criterion = 'climate_change'
                then {{ impact_label('per_user.impact_per_year', none, 'fr') }}
        end as label_fr,
        {{ as_of_date() }} as as_of_date
    from service_items
    inner join per_user on service_items.catalogue_item_id = per_user.catalogue_item_id
    cross join countries
),

hardware_rows as (
    select
        computed.catalogue_item_id,
        computed.catalogue_item_name,
        computed.is_active,
        computed.price,
        computed.model_id,
        models.model_name,
        computed.device_category,
        computed.country_code,
        computed.country_code = '{{ var("default_country_code") }}' as is_default_country,
        computed.criterion,
        computed.unit,
        computed.manufacturing,
        computed.distribution,
        computed.end_of_life,
        computed.embodied,
        computed.embodied_min,
        computed.embodied_max,
        computed.lifetime_years,
        computed.annual_energy_kwh,
        computed.annual_use,
        computed.annual_use_min,
        computed.annual_use_max,
        computed.embodied / computed.lifetime_years + computed.annual_use as impact_per_year,
        computed.embodied_min / computed.lifetime_years + computed.annual_use_min
            as impact_per_year_min,
        computed.embodied_max / computed.lifetime_years + computed.annual_use_max
            as impact_per_year_max,
        computed.embodied + computed.annual_use * computed.lifetime_years as life_impact,
        computed.embodied_min + computed.annual_use_min * computed.lifetime_years
            as life_impact_min,
        computed.embodied_max + computed.annual_use_max * computed.lifetime_years
            as life_impact_max,
        case
            when computed.criterion = 'climate_change'
                then {{ impact_label(
                    'computed.embodied + computed.annual_use * computed.lifetime_years',
                    'computed.lifetime_years', 'en') }}
        end as label_en,
        case
            when computed.criterion = 'climate_change'
                then {{ impact_label(
                    'computed.embodied + computed.annual_use * computed.lifetime_years',
                    'computed.lifetime_years', 'fr') }}
        end as label_fr,
        {{ as_of_date() }} as as_of_date
    from computed
    left join models on computed.model_id = models.model_id
),

final as (
    select * from hardware_rows
    union all
    select * from service_rows
)

select * from final
