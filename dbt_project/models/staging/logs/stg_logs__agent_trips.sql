-- Agents' business trips for IT work, one row per trip (a trip id landed again replaces the
-- earlier row).
with

source as (
    {{ latest_versions(source('logs', 'agent_trips'), key='trip_id', cursor='_extracted_at') }}
),

renamed as (
    select
        trip_id,
        cast(trip_date as date) as trip_on,
        mode as travel_mode,
        {{ sn_decimal('distance_km') }} as distance_km,
        {{ sn_string('cost_center_code') }} as cost_center_code,
        {{ sn_string('purpose') }} as purpose,
        -- At least the traveller.
        greatest(coalesce({{ sn_integer('passengers') }}, 1), 1) as passengers,
        _file as source_file
    from source
)

select * from renamed
