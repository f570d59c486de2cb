-- The dates of each asset's life: acquired, put in use, left the fleet (DESIGN.md, "Dates"),
-- all local dates (staging converts ServiceNow's UTC date-times to the organisation's zone).
with

assets as (
    select * from {{ ref('stg_servicenow__hardware_assets') }}
),

versions as (
    select * from {{ ref('stg_servicenow__hardware_asset_versions') }}
),

-- From the landed versions: when the asset was first seen out of the fleet, and whether it
-- was ever in use (installed or in maintenance).
history as (
    select
        asset_id,
        min(
            case when {{ has_left_fleet() }} then updated_on end
        ) as first_seen_left_on,
        max(case when {{ is_in_use() }} then 1 else 0 end) = 1 as was_ever_in_use
    from versions
    group by asset_id
),

-- Retired, or a substatus saying the asset has left the organisation, in its current state.
left_fleet as (
    select
        assets.*,
        history.first_seen_left_on,
        history.was_ever_in_use,
        {{ has_left_fleet() }} as has_left_fleet
    from assets
    left join history on assets.asset_id = history.asset_id
),

dated as (
    select
        asset_id,
        coalesce(purchased_on, installed_on, created_on) as acquired_on,
        -- Without a retirement date, the first load that saw it gone dates the disposal (a
        -- later edit of the record does not move it).
        case
            when has_left_fleet
                then coalesce(retired_on, first_seen_left_on, updated_on)
        end as left_fleet_on,
        -- An asset only ever in stock has no use phase.
        installed_on is not null or coalesce(was_ever_in_use, false) as has_use_phase,
        installed_on
    from left_fleet
),

final as (
    select
        asset_id,
        acquired_on,
        -- A disposal recorded before the acquisition is read as a disposal on that day.
        case
            when left_fleet_on < acquired_on then acquired_on else left_fleet_on
        end as disposed_on,
        has_use_phase,
        case
            when has_use_phase then coalesce(installed_on, acquired_on)
        end as use_started_on
    from dated
)

select * from final
