-- What the footprint lacks, per source kind, device category, life-cycle stage and criterion:
-- how many items have no figure there, and why (see int_footprint_gaps_listed). The coverage
-- report and data-quality dashboards read it; a stage a source states as not covered is
-- counted here, never silently absent.
with

gaps as (
    select * from {{ ref('int_footprint_gaps_listed') }}
),

final as (
    select
        'hardware_asset' as source_kind,
        device_category,
        stage,
        criterion,
        gap_reason,
        items
    from gaps
)

select * from final
