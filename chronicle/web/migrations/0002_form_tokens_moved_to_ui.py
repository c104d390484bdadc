# The once-only form tokens now belong to the form kit (ui); the table itself is kept as it is.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("web", "0001_form_tokens"),
        ("ui", "0001_form_tokens"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="SpentFormToken")],
            database_operations=[],
        ),
    ]
