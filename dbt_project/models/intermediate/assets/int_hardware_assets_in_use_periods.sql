-- The periods each asset was in use (DESIGN.md, "Use"): from its use start, while its landed
-- status history says in use (1 In use, 3 In maintenance), until its disposal or the as-of
-- date (exclusive). Before its first landed version the status is unknown: that time counts
-- as in use only when the first version shows the asset in use, or gone from the fleet after
-- an installation (it was in use until it left). An asset first seen in stock, in transit or
-- missing has no use before that version; one only ever in stock has no use phase.
with

dates as (
    select * from {{ ref('int_hardware_assets_dated') }}
    where has_use_phase
),

assets as (
    select * from {{ ref('stg_servicenow__hardware_assets') }}
),

versions as (
    select distinct
        asset_id,
        updated_at,
        updated_on,
        install_status,
        substatus
    from {{ ref('stg_servicenow__hardware_asset_versions') }}
),

status_periods as (
    select
        asset_id,
        {{ is_in_use() }} as is_in_use,
        {{ has_left_fleet() }} as has_left_fleet,
        updated_on as starts_on,
        lead(updated_on) over (partition by asset_id order by updated_at) as ends_on,
        row_number() over (partition by asset_id order by updated_at) as version_number
    from versions
),

bounds as (
    select
        dates.asset_id,
        dates.use_started_on,
        assets.installed_on,
        case
            when dates.disposed_on < {{ as_of_date() }} then dates.disposed_on
            else {{ as_of_date() }}
        end as use_ended_on
    from dates
    inner join assets on dates.asset_id = assets.asset_id
),

periods as (
    select
        bounds.asset_id,
        bounds.use_started_on as starts_on,
        first_versions.starts_on as ends_on
    from bounds
    inner join status_periods as first_versions
        on
            bounds.asset_id = first_versions.asset_id
            and first_versions.version_number = 1
    where
        first_versions.is_in_use
        or (first_versions.has_left_fleet and bounds.installed_on is not null)
    union all
    select
        asset_id,
        starts_on,
        ends_on
    from status_periods
    where is_in_use
),

clipped as (
    select
        bounds.asset_id,
        greatest(periods.starts_on, bounds.use_started_on) as period_starts_on,
        least(coalesce(periods.ends_on, bounds.use_ended_on), bounds.use_ended_on)
            as period_ends_on
    from periods
    inner join bounds on periods.asset_id = bounds.asset_id
),

final as (
    select
        asset_id,
        period_starts_on,
        period_ends_on
    from clipped
    where period_starts_on < period_ends_on
)

select * from final
