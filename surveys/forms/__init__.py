"""Forms for the resident journey."""

from surveys.forms.fields import DateField
from surveys.forms.page import PageForm

__all__ = ["DateField", "PageForm"]
