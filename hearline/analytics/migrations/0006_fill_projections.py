"""Fill the projected tables from the rollup rows already kept."""

from django.db import migrations

FLAGS = (
    "responded_on_time, response_decided, resolved_on_time, resolution_decided, solved, "
    "confirmed, satisfied, basically_satisfied, rated, handled, reopened, had_reply, repeats, "
    "on_spot, overdue"
)
SUMS = f"volume, {FLAGS}, handling_minutes"


def fill(apps, schema_editor):
    totals = ", ".join(f"SUM({c.strip()})" for c in SUMS.split(","))
    hot = "day, department_id, category_id, district, root_cause_id"
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO analytics_departmentday (day, department_id, band, {SUMS}) "
            f"SELECT day, department_id, band, {totals} FROM analytics_rollup "
            "GROUP BY day, department_id, band"
        )
        cursor.execute(
            f"INSERT INTO analytics_hotspotday ({hot}, volume) "
            f"SELECT {hot}, SUM(volume) FROM analytics_rollup GROUP BY {hot}"
        )


class Migration(migrations.Migration):
    dependencies = [("analytics", "0005_projections")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
