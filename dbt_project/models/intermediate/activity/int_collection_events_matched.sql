-- Each collection event line, with the fleet asset it names (by asset tag) when there is one:
-- a fleet asset's end of life is already its own, so only the other items (agents' and
-- untracked devices) add an end-of-life footprint of their own.
with

events as (
    select * from {{ ref('stg_logs__collection_events') }}
),

assets as (
    select * from {{ ref('stg_servicenow__hardware_assets') }}
),

final as (
    select
        events.collection_event_id,
        events.collected_on,
        events.collection_point_id,
        events.campaign,
        events.device_category,
        events.item_count,
        events.outcome,
        events.asset_tag,
        assets.asset_id,
        assets.asset_id is not null as is_fleet_asset
    from events
    left join assets on events.asset_tag = assets.asset_tag
)

select * from final
