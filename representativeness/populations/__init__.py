"""Populations other than a survey's respondents, compared with the census by the same report builder.

`datasets`: pure functions reading a service's equality data (one row per person, or counts per
category; census labels, the standard question options, or the NHS Data Dictionary's ethnic
categories) into counts per census category, refusing anything it cannot read with messages that name
the row, the column and the label.
"""
