"""Enumerations shared by the census parsers and the models.

They live here, not in models.py, so that the parsers can be used (and tested) without the database.
Only Django's enum classes are imported: nothing here touches models or settings.
"""

from django.db import models


class PopulationBase(models.TextChoices):
    """Who a census table counts. A survey open to people aged 16+ must be compared with a 16+ base."""

    ALL_USUAL_RESIDENTS = "all", "All usual residents"
    AGED_3_AND_OVER = "3+", "All usual residents aged 3 years and over"
    AGED_5_AND_OVER = "5+", "All usual residents aged 5 years and over"
    AGED_16_AND_OVER = "16+", "All usual residents aged 16 years and over"


class SourceFormat(models.TextChoices):
    """The kinds of file councils download, which the importer tells apart from the header row."""

    NOMIS_BULK = "nomis_bulk", "Nomis bulk download"
    ONS_CUSTOM = "ons_custom", "ONS custom dataset"
    NOMIS_API = "nomis_api", "Nomis API CSV"
    LONG = "long", "Long format (area_code, ..., value)"
    TOPIC_SUMMARY = "topic_summary", "Topic summary (area_code, table, category, count)"
    # Never stored: the baseline of a composite area is summed from its components when it is read.
    COMPOSITE = "composite", "Sum of component areas"


class AreaLevel(models.TextChoices):
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    WARD = "ward", "Electoral ward"
    CUSTOM = "custom", "Custom area (sum of other areas)"
    COUNTRY = "country", "Country"
    REGION = "region", "Region"
    MSOA = "msoa", "Middle layer super output area"
    LSOA = "lsoa", "Lower layer super output area"
    OUTPUT_AREA = "output_area", "Output area"
    OTHER = "other", "Other geography"


class CountLevel(models.TextChoices):
    DETAILED = "detailed", "Detailed category"
    BROAD = "broad", "Broad group"
    TOTAL = "total", "Total"


class Sex(models.TextChoices):
    """The second dimension of the sex-by-age table. Blank means all persons."""

    ALL = "", "All persons"
    FEMALE = "Female", "Female"
    MALE = "Male", "Male"
