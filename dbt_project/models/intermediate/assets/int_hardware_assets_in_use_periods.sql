-- The periods each asset was in use (DESIGN.md, "Use"): from its use start, while its landed
-- status history says in use (1 In use, 3 In maintenance), until its disposal or the as-of
-- date (exclusive). Before its first landed version, an asset with a use start is read as in
-- use since then: that version's update is when its status last changed.
with

dates as (
    select * from {{ ref('int_hardware_assets_dated') }}
    where has_use_phase
),

versions as (
    select distinct
        asset_id,
        updated_at,
        install_status
    from {{ ref('stg_servicenow__hardware_asset_versions') }}
),

status_periods as (
    select
        asset_id,
        install_status in ('1', '3') as is_in_use,
        cast(updated_at as date) as starts_on,
        cast(lead(updated_at) over (partition by asset_id order by updated_at) as date)
            as ends_on,
        row_number() over (partition by asset_id order by updated_at) as version_number
    from versions
),

bounds as (
    select
        asset_id,
        use_started_on,
        case
            when disposed_on < {{ as_of_date() }} then disposed_on else {{ as_of_date() }}
        end as use_ended_on
    from dates
),

periods as (
    select
        bounds.asset_id,
        bounds.use_started_on as starts_on,
        status_periods.starts_on as ends_on
    from bounds
    inner join status_periods
        on
            bounds.asset_id = status_periods.asset_id
            and status_periods.version_number = 1
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
