-- Devices handed in at collection points, one row per event line (an event id landed again
-- replaces the earlier row).
with

source as (
    {{ latest_versions(source('logs', 'collection_events'), key='event_id', cursor='_extracted_at') }}
),

renamed as (
    select
        event_id as collection_event_id,
        cast(event_date as date) as collected_on,
        collection_point_id,
        {{ sn_string('campaign') }} as campaign,
        device_category,
        {{ sn_integer('item_count') }} as item_count,
        outcome,
        {{ sn_string('asset_tag') }} as asset_tag,
        {{ sn_decimal('weight_kg') }} as weight_kg,
        _file as source_file
    from source
)

select * from renamed
