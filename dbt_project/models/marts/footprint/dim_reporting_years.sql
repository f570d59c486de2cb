-- Every reporting year with the as-of date the warehouse was computed at, and what the year's
-- figures are (DESIGN.md, "Use": the current year counts days up to the as-of date):
--   complete      the whole year is behind the as-of date;
--   year_to_date  the year of the as-of date: its use phase counts the days up to it;
--   future        after the as-of date: only embodied impacts already committed (amortisation
--                 of assets held) fall there.
with

years as (
    select * from {{ ref('int_reporting_years') }}
),

final as (
    select
        reporting_year,
        year_starts_on,
        next_year_starts_on,
        {{ as_of_date() }} as as_of_date,
        case
            when next_year_starts_on <= {{ as_of_date() }} then 'complete'
            when year_starts_on < {{ as_of_date() }} then 'year_to_date'
            else 'future'
        end as year_status
    from years
)

select * from final
