-- The dates of each asset's life: acquired, put in use, left the fleet (DESIGN.md, "Dates").
with

assets as (
    select * from {{ ref('stg_servicenow__hardware_assets') }}
),

-- Substatuses that mean the asset has left the organisation, whatever its install status.
left_fleet as (
    select
        *,
        install_status = '7'
        or coalesce(substatus, '') in (
            'disposed', 'sold', 'donated', 'vendor_credit', 'lost', 'stolen'
        ) as has_left_fleet
    from assets
),

dated as (
    select
        asset_id,
        coalesce(purchased_on, installed_on, cast(created_at as date)) as acquired_on,
        case
            when has_left_fleet then coalesce(retired_on, cast(updated_at as date))
        end as left_fleet_on,
        -- An asset only ever in stock has no use phase.
        installed_on is not null or install_status in ('1', '3') as has_use_phase,
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
