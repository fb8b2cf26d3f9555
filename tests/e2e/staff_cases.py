"""Cases made for a browser test on the served demo, through the real actions (a `hearline
shell` on the server's database): registered by the agent on the phone (or a channel's desk
account), then taken through the given steps by the demo's staff."""

from __future__ import annotations

import json

SCRIPT = """
import json
from hearline.accounts.models import User
from hearline.cases.actions import do_register_case, do_transition
from hearline.cases.submission import ComplainantData, IntakeSubmission

given = json.loads({given!r})
users = {{u.username: u for u in User.objects.all()}}
case = do_register_case(
    IntakeSubmission(
        channel=given["channel"],
        description=given["description"],
        address="江北区人民路8号",
        complainant=ComplainantData(name=given["name"], phone=given["phone"]),
    ),
    acting_user=users[given["owner"]],
).case
for action, username, payload in given["steps"]:
    do_transition(case.pk, action, acting_user=users[username], payload=payload)
print("CASE", case.pk, case.tracking_number, case.public_token)
"""

ANSWER = {"finding": "接头老化", "resolution_type": "repair", "resolution": "已更换接头"}
IN_PROGRESS = [
    ("dispatch", "dispatcher", {"department": "water-network"}),
    ("accept", "handler_network", {}),
]
REPLIED = [
    *IN_PROGRESS,
    ("resolve", "handler_network", ANSWER),
    ("reply", "handler_network", ANSWER | {"reply": "已维修。"}),
]


def staff_case(
    live_hearline, description: str, phone: str, steps, *, owner="agent", channel="hotline"
) -> tuple[int, str, str]:
    """(id, tracking number, secret token) of a new case of the complainant with `phone`,
    registered by `owner` from `channel` and taken through `steps`: (action, username,
    payload) each."""
    given = json.dumps(
        {
            "description": description,
            "name": "钱先生",
            "phone": phone,
            "steps": steps,
            "owner": owner,
            "channel": channel,
        },
        ensure_ascii=False,
    )
    out = live_hearline.run("shell", "-c", SCRIPT.format(given=given))
    _mark, pk, number, token = next(x for x in out.splitlines() if x.startswith("CASE ")).split()
    return int(pk), number, token
