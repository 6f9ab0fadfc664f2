"""Drop three single-column indexes that another index of the same table begins with (docs/decisions/0041):
every look-up they served uses the other index, and each was one more index written for every response
or answer sent. Plain DROP INDEX on both databases: Django's AlterField would rebuild each table on SQLite
and drop and re-add (revalidating) each foreign key on PostgreSQL."""

import django.db.models.deletion
from django.db import migrations, models

# (index, table, column): the names Django gave them in 0001, the same on SQLite and PostgreSQL.
INDEXES = [
    ("surveys_answer_question_id_c0166f3c", "surveys_answer", "question_id"),  # (question, choice)
    ("surveys_equalityprofile_survey_id_fb730883", "surveys_equalityprofile", "survey_id"),  # (survey, ...) x2
    ("surveys_response_survey_id_907701cf", "surveys_response", "survey_id"),  # (survey, submission_key) ...
]


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0012_equality_answer_counts"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    sql=[f'DROP INDEX IF EXISTS "{index}"' for index, _, _ in INDEXES],
                    reverse_sql=[
                        f'CREATE INDEX "{index}" ON "{table}" ("{column}")' for index, table, column in INDEXES
                    ],
                )
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="answer",
                    name="question",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="answers",
                        to="surveys.question",
                    ),
                ),
                migrations.AlterField(
                    model_name="equalityprofile",
                    name="survey",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="surveys.survey",
                    ),
                ),
                migrations.AlterField(
                    model_name="response",
                    name="survey",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="responses",
                        to="surveys.survey",
                    ),
                ),
            ],
        )
    ]
