"""Dates and times as GOV.UK's style guide writes them: "15 February 2027", "15 February 2027, 17:00".

Django's own en_GB formats abbreviate the month ("15 Feb 2027"). Templates that name a format
(``|date:"j F Y"``) keep it; these are for ``{{ value|date }}``, ``{{ value }}`` and forms.
"""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "j F Y"
SHORT_DATETIME_FORMAT = "j F Y, H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
TIME_FORMAT = "H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
