-- End of life per year (DESIGN.md): the fleet's assets leaving it (disposed, sold, donated,
-- returned to the vendor, lost, stolen) and the devices handed in at collection points, counted
-- per outcome, with the end-of-life climate impact each convention books that year.
-- Second-life outcomes (sold, donated, reuse, refurbishment) are flagged and earn no credit:
-- their end of life is counted like any other. An asset still held is `in_fleet` (the amortised
-- convention books its end of life over its life, before it leaves).
with

assets as (
    select * from {{ ref('dim_hardware_assets') }}
),

events as (
    select * from {{ ref('int_collection_events_matched') }}
),

sites as (
    select * from {{ ref('stg_servicenow__locations') }}
),

companies as (
    select * from {{ ref('stg_servicenow__companies') }}
),

footprint as (
    select * from {{ ref('fct_footprint') }}
    where
        stage = 'end_of_life'
        and criterion = 'climate_change'
        and source_kind in ('hardware_asset', 'collection')
),

fleet_exits as (
    select
        asset_id,
        town_id,
        device_category,
        disposed_on,
        case
            when substatus in ('disposed', 'sold', 'donated', 'vendor_credit', 'lost', 'stolen')
                then substatus
            else 'retired'
        end as outcome
    from assets
    where disposed_on is not null
),

collected as (
    select
        'collection_event/' || events.collection_event_id as item_id,
        {{ year_of('events.collected_on') }} as reporting_year,
        sites.company_id as town_id,
        events.device_category,
        events.outcome,
        events.is_fleet_asset,
        events.item_count
    from events
    left join sites on events.collection_point_id = sites.location_id
),

counted as (
    select
        {{ year_of('disposed_on') }} as reporting_year,
        'fleet' as origin,
        outcome,
        device_category,
        town_id,
        true as is_fleet_asset,
        1 as items,
        0.0 as amortised_value,
        0.0 as acquisition_value
    from fleet_exits
    union all
    select
        reporting_year,
        'collection_point' as origin,
        outcome,
        device_category,
        town_id,
        is_fleet_asset,
        item_count as items,
        0.0 as amortised_value,
        0.0 as acquisition_value
    from collected
),

booked as (
    select
        footprint.reporting_year,
        case when footprint.source_kind = 'collection' then 'collection_point' else 'fleet' end
            as origin,
        case
            when footprint.source_kind = 'collection' then collected.outcome
            when footprint.reporting_year < {{ year_of('fleet_exits.disposed_on') }} then 'in_fleet'
            else coalesce(fleet_exits.outcome, 'in_fleet')
        end as outcome,
        footprint.device_category,
        footprint.town_id,
        footprint.source_kind = 'hardware_asset' as is_fleet_asset,
        0 as items,
        case when footprint.method = 'amortised' then footprint.value else 0.0 end
            as amortised_value,
        case when footprint.method = 'acquisition' then footprint.value else 0.0 end
            as acquisition_value
    from footprint
    left join fleet_exits on footprint.asset_id = fleet_exits.asset_id
    left join collected on footprint.item_id = collected.item_id
),

unioned as (
    select * from counted
    union all
    select * from booked
),

summed as (
    select
        reporting_year,
        origin,
        outcome,
        device_category,
        town_id,
        is_fleet_asset,
        cast(sum(items) as {{ dbt.type_bigint() }}) as items,
        sum(amortised_value) as end_of_life_amortised_kgco2e,
        sum(acquisition_value) as end_of_life_acquisition_kgco2e
    from unioned
    group by reporting_year, origin, outcome, device_category, town_id, is_fleet_asset
),

final as (
    select
        summed.reporting_year,
        summed.origin,
        summed.outcome,
        summed.outcome in ('sold', 'donated', 'reuse', 'refurbishment') as is_second_life,
        summed.device_category,
        summed.town_id,
        towns.company_name as town_name,
        summed.is_fleet_asset,
        summed.items,
        summed.end_of_life_amortised_kgco2e,
        summed.end_of_life_acquisition_kgco2e
    from summed
    left join companies as towns on summed.town_id = towns.company_id
)

select * from final
