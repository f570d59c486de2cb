-- What the footprint lacks, per source kind, device category, life-cycle stage and criterion:
-- how many items have no figure there, and why (see int_footprint_gaps_listed). The coverage
-- report and data-quality dashboards read it; a stage a source states as not covered is
-- counted here, never silently absent.
with

gaps as (
    select * from {{ ref('int_footprint_gaps_listed') }}
),

assets as (
    select * from {{ ref('int_hardware_assets_categorised') }}
),

final as (
    select
        'hardware_asset' as source_kind,
        assets.device_category,
        gaps.stage,
        gaps.criterion,
        gaps.gap_reason,
        count(*) as items
    from gaps
    inner join assets on gaps.asset_id = assets.asset_id
    group by assets.device_category, gaps.stage, gaps.criterion, gaps.gap_reason
)

select * from final
