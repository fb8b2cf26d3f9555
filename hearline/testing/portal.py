"""A citizen's complaint as the portal's form posts it, for tests of /submit/."""


def portal_complaint(**overrides) -> dict:
    """The fields of a complete portal submission; keyword arguments replace fields."""
    data = {
        "token": "w-1",
        "description": "路灯坏了一个月没人修，晚上很危险。",
        "address": "江北区新河路12号",
        "district": "江北区",
        "request": "尽快修好路灯",
        "name": "孙先生",
        "phone": "13700001111",
        "preferred_channel": "sms",
    }
    return data | overrides
