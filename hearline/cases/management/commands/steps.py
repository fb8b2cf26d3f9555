"""`hearline steps`: what observes the case-step stream, phase by phase, in order."""

from django.core.management.base import BaseCommand

from hearline.cases import steps


class Command(BaseCommand):
    help = "List the observers of case steps, phase by phase in the order they run."

    def handle(self, *args, **options):
        for observer in steps.observers():
            actions = (
                "every step" if observer.actions is None else ", ".join(sorted(observer.actions))
            )
            module = observer.reaction.__module__
            self.stdout.write(f"{observer.phase:8} {observer.name:24} {module:30} {actions}")
        for phase, name in steps.missing():
            self.stdout.write(f"{phase:8} {name:24} (declared, not registered)")
