-- End of life of the devices handed in at collection points that are not fleet assets: items ×
-- the end-of-life factor of their device category, in the year they were collected (the same
-- under both methods: nothing to amortise). Reuse earns no credit: a device's end of life is
-- counted whatever its outcome (second-life outcomes are reported apart, in mart_end_of_life).
-- Waste generated in operations: scope 3 category 5.
with

events as (
    select * from {{ ref('int_collection_events_matched') }}
    where not is_fleet_asset
),

factors as (
    select * from {{ ref('int_activity_factors_matched') }}
    where scope = 'category' and stage = 'end_of_life'
),

final as (
    select
        factors.reporting_year,
        'collection' as source_kind,
        'collection_event/' || events.collection_event_id as item_id,
        {{ activity_impact('events.item_count') }},
        'item_count' as calculation_method,
        3 as ghg_scope,
        5 as ghg_category,
        cast(null as {{ dbt.type_string() }}) as travel_mode,
        cast(null as {{ dbt.type_string() }}) as asset_id,
        cast(null as {{ dbt.type_string() }}) as contract_id,
        events.collection_point_id as location_id,
        cast(null as {{ dbt.type_string() }}) as cost_center_id,
        events.device_category
    from events
    inner join factors
        on
            events.device_category = factors.factor_key
            and {{ year_of('events.collected_on') }} = factors.reporting_year
)

select * from final
