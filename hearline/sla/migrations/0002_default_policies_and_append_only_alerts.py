from django.db import migrations

from hearline.core.append_only import AppendOnly

DEFAULTS = [
    # name, urgency, response, resolution (the seeds: a burst main is answered within 30
    # minutes night or holiday; a water company responds within 2 working hours and resolves
    # within 5 working days)
    ("紧急（爆管、大面积停水、安全隐患）", "urgent", (30, "minutes"), (24, "hours")),
    ("重要", "important", (2, "working_hours"), (3, "working_days")),
    ("一般", "", (2, "working_hours"), (5, "working_days")),
]


def create_defaults(apps, schema_editor):
    SlaPolicy = apps.get_model("sla", "SlaPolicy")
    for name, urgency, (r_amount, r_unit), (s_amount, s_unit) in DEFAULTS:
        SlaPolicy.objects.create(
            name=name,
            urgency=urgency,
            response_amount=r_amount,
            response_unit=r_unit,
            resolution_amount=s_amount,
            resolution_unit=s_unit,
        )


class Migration(migrations.Migration):
    dependencies = [("sla", "0001_initial")]

    operations = [
        migrations.RunPython(create_defaults, migrations.RunPython.noop),
        AppendOnly("sla_slaalert"),
    ]
