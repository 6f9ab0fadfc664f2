"""New rows written from their values (common/rows.py)."""

import pytest

from common.rows import new_row
from surveys.models import Answer, Survey


def test_rows_written_from_values_refuse_a_model_whose_fields_work_out_their_own():
    """Answers are written from values, with no model instance: a field that works out its value as it is
    saved (a survey's created_at, auto_now_add) would be written without it, so such a model is refused."""
    with pytest.raises(TypeError, match="insert an instance"):
        new_row(Survey, title="Parks")
    with pytest.raises(TypeError, match="no field 'colour'"):
        new_row(Answer, question_id=1, colour="red")
