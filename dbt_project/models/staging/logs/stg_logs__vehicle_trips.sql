-- Vehicle trips, one row per trip: a trip id landed again (a corrected file) replaces the
-- earlier row.
with

source as (
    {{ latest_versions(source('logs', 'vehicle_trips'), key='trip_id', cursor='_extracted_at') }}
),

renamed as (
    select
        trip_id,
        cast(trip_date as date) as trip_on,
        vehicle_type,
        purpose,
        {{ sn_decimal('distance_km') }} as logged_km,
        {{ sn_reference('from_location_id') }} as from_location_id,
        {{ sn_reference('to_location_id') }} as to_location_id,
        {{ sn_string('transfer_order_number') }} as transfer_order_number,
        {{ sn_string('contract_number') }} as contract_number,
        {{ sn_integer('asset_count') }} as asset_count,
        coalesce({{ sn_string('operator') }}, 'own') as operator,
        _file as source_file
    from source
)

select * from renamed
