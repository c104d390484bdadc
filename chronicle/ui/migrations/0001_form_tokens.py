# The once-only form tokens move from the web app to the form kit: the table stays where the web
# app made it, only Django's record of which app owns the model changes.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("web", "0001_form_tokens"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SpentFormToken",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("token", models.UUIDField(unique=True)),
                        ("spent_at", models.DateTimeField(auto_now_add=True, db_index=True)),
                        ("result_url", models.CharField(blank=True, max_length=500)),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={"db_table": "web_spentformtoken"},
                ),
            ],
            database_operations=[],
        ),
    ]
