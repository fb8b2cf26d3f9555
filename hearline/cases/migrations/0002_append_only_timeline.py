from django.db import migrations

from hearline.core.append_only import AppendOnly


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [
        AppendOnly("cases_caseevent"),
        AppendOnly("cases_complainantaccess"),
    ]
