"""GeoReport v2 as the specification defines it: fields, types, formats, errors."""

from datetime import timedelta
from xml.etree import ElementTree as ET

import pytest
from django.utils import timezone

from hearline.api.actions import do_create_api_token
from hearline.cases.actions import do_transition
from hearline.cases.models import Case, Category
from hearline.testing.org import register

REQUEST_FIELDS = {
    "service_request_id": str,
    "status": str,
    "status_notes": (str, type(None)),
    "service_name": (str, type(None)),
    "service_code": (str, type(None)),
    "description": (str, type(None)),
    "agency_responsible": (str, type(None)),
    "service_notice": (str, type(None)),
    "requested_datetime": str,
    "updated_datetime": str,
    "expected_datetime": (str, type(None)),
    "address": (str, type(None)),
    "address_id": (str, type(None)),
    "zipcode": (str, type(None)),
    "lat": (float, type(None)),
    "long": (float, type(None)),
    "media_url": (str, type(None)),
}
SERVICE_FIELDS = {
    "service_code": str,
    "service_name": str,
    "description": str,
    "metadata": bool,
    "type": str,
    "keywords": list,
    "group": str,
}


@pytest.fixture
def services(org):
    Category.objects.filter(pk=org.category.pk).update(
        extra_fields=[
            {"code": "account", "datatype": "string", "required": True, "description": "户号"},
            {
                "code": "scope",
                "datatype": "singlevaluelist",
                "required": False,
                "description": "范围",
                "values": [{"key": "home", "name": "仅本户"}, {"key": "block", "name": "整栋"}],
            },
        ]
    )
    Category.objects.create(code="water-repair", name="维修", parent=org.category)
    return org


@pytest.fixture
def api_key(services):
    return do_create_api_token(name="city-app", role="agent", department_code="callcentre")[1]


def _post(client, key, fmt="json", headers=None, **fields):
    data = {
        "api_key": key,
        "service_code": "water-outage",
        "address_string": "海曙区中山西路1号",
        "description": "整栋楼停水。",
        "attribute[account]": "8800123",
        **fields,
    }
    form = {k: v for k, v in data.items() if v is not None}
    return client.post(f"/open311/v2/requests.{fmt}", form, headers=headers)


def test_services_list_and_definition_have_the_specified_fields(client, services):
    body = client.get("/open311/v2/services.json").json()
    assert [s["service_code"] for s in body] == ["water-outage", "water-repair"]
    for entry in body:
        assert set(entry) == set(SERVICE_FIELDS)
        assert all(isinstance(entry[k], t) for k, t in SERVICE_FIELDS.items())
    assert body[0]["metadata"] is True and body[1]["metadata"] is False
    assert body[1]["group"] == "停水"

    definition = client.get("/open311/v2/services/water-outage.json").json()
    account, scope = definition["attributes"]
    assert account == {
        "variable": True,
        "code": "account",
        "datatype": "string",
        "required": True,
        "datatype_description": "",
        "order": 1,
        "description": "户号",
    }
    assert scope["values"] == [{"key": "home", "name": "仅本户"}, {"key": "block", "name": "整栋"}]


def test_xml_uses_the_specified_elements(client, services):
    root = ET.fromstring(client.get("/open311/v2/services.xml").content)
    assert root.tag == "services" and [e.tag for e in root] == ["service", "service"]
    assert root.find("service/metadata").text == "true"
    definition = ET.fromstring(client.get("/open311/v2/services/water-outage.xml").content)
    assert definition.tag == "service_definition"
    values = definition.findall("attributes/attribute/values/value")
    assert [(v.findtext("key"), v.findtext("name")) for v in values] == [
        ("home", "仅本户"),
        ("block", "整栋"),
    ]
    discovery = ET.fromstring(client.get("/open311/v2/discovery.xml").content)
    assert [f.text for f in discovery.findall("endpoints/endpoint/formats/format")] == [
        "text/xml",
        "application/json",
    ]


def test_post_creates_an_ordinary_open311_case(client, api_key):
    response = _post(
        client,
        api_key,
        lat="29.868300",
        long="121.544000",
        email="chen@example.org",
        first_name="明",
        last_name="陈",
        media_url="https://example.org/p.jpg",
        **{"attribute[scope]": "block"},
    )
    assert response.status_code == 201
    created = response.json()[0]
    case = Case.objects.get(tracking_number=created["service_request_id"])
    assert case.channel == "open311" and case.category.code == "water-outage"
    assert case.attributes == {"account": "8800123", "scope": "block"}
    assert case.complainant.name == "陈明" and case.complainant.preferred_channel == "email"
    assert case.events.get().action == "register"

    listed = client.get("/open311/v2/requests.json").json()
    assert [r["service_request_id"] for r in listed] == [case.tracking_number]
    entry = listed[0]
    assert set(entry) == set(REQUEST_FIELDS)
    assert all(isinstance(entry[k], t) for k, t in REQUEST_FIELDS.items())
    assert entry["expected_datetime"] and entry["agency_responsible"] == "话务中心"
    token = client.get(f"/open311/v2/tokens/{created['token']}.json").json()
    assert token == [{"service_request_id": case.tracking_number, "token": created["token"]}]


def test_a_retried_post_with_the_same_key_creates_one_case(client, api_key):
    first = _post(client, api_key, headers={"Idempotency-Key": "app-42"})
    second = _post(client, api_key, headers={"Idempotency-Key": "app-42"})
    assert first.json() == second.json()
    assert Case.objects.count() == 1


def test_a_key_reused_for_another_report_is_refused_not_answered_with_the_first(client, api_key):
    first = _post(client, api_key, headers={"Idempotency-Key": "app-43"})
    other = _post(client, api_key, headers={"Idempotency-Key": "app-43"}, description="路灯不亮。")
    assert first.status_code == 201 and other.status_code == 422
    assert "Idempotency-Key" in other.json()[0]["description"]
    assert Case.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "status", "says"),
    [
        ({"api_key": "nope"}, 403, "api_key"),
        ({"api_key": None}, 403, "api_key"),
        ({"service_code": ""}, 400, "service_code"),
        ({"service_code": "no-such"}, 404, "no-such"),
        ({"address_string": None}, 400, "location"),
        ({"address_string": None, "lat": "29.8"}, 400, "together"),
        ({"lat": "95", "long": "121"}, 400, "lat"),
        ({"attribute[account]": None}, 400, "attributes.account: required"),
        ({"attribute[scope]": "street"}, 400, "attributes.scope: invalid_choice"),
        ({"description": "长" * 4001}, 400, "4000"),
        ({"description": "停水\x00\x01了"}, 400, "description: invalid_character"),
        ({"first_name": "明\x1b"}, 400, "complainant.name: invalid_character"),
        ({"address_string": "中山西路" + "长" * 252}, 400, "address: too_long"),
        ({"email": "chen@example.org\nBcc: x@y.cn"}, 400, "complainant.email: invalid_email"),
    ],
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_refused_posts_answer_in_the_specified_error_format(
    client, api_key, fields, status, says, fmt
):
    response = _post(client, api_key, fmt=fmt, **fields)
    assert response.status_code == status
    if fmt == "json":
        [error] = response.json()
        code, description = error["code"], error["description"]
    else:
        root = ET.fromstring(response.content)
        assert root.tag == "errors"
        code, description = int(root.findtext("error/code")), root.findtext("error/description")
    assert code == status and says in description
    assert Case.objects.count() == 0


def test_one_stored_control_character_does_not_break_the_xml_list(client, api_key):
    number = _post(client, api_key).json()[0]["service_request_id"]
    # Stored before intake refused control characters.
    Case.objects.filter(tracking_number=number).update(description="整栋\x01楼停水\x1f。")
    root = ET.fromstring(client.get("/open311/v2/requests.xml").content)
    assert root.findtext("request/description") == "整栋楼停水。"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_public_list_masks_personal_data_in_every_spelling(client, api_key, fmt):
    description = (
        "中山西路12号3栋2单元501室停水，电话+86 138 1234 5678，座机(0574) 8765 4321，"
        "邮箱chen.ming@example.org，身份证33020319900101123X。"
    )
    _post(client, api_key, description=description)
    body = client.get(f"/open311/v2/requests.{fmt}")
    if fmt == "json":
        published = body.json()[0]["description"]
    else:
        published = ET.fromstring(body.content).findtext("request/description")
    assert published == (
        "中山西路****停水，电话138****5678，座机0574-****4321，"
        "邮箱c***@example.org，身份证33****3X。"
    )


def test_requests_filters_and_defaults(client, services, api_key):
    numbers = [_post(client, api_key).json()[0]["service_request_id"] for _ in range(3)]
    old = Case.objects.get(tracking_number=numbers[0])
    Case.objects.filter(pk=old.pk).update(registered_at=timezone.now() - timedelta(days=100))
    hotline = register(services).case  # hotline calls are not published
    closed = Case.objects.get(tracking_number=numbers[1])
    do_transition(closed.pk, "close_on_spot", acting_user=closed.owner, payload={"reply": "已修复"})

    def ids(query=""):
        return [
            r["service_request_id"] for r in client.get(f"/open311/v2/requests.json{query}").json()
        ]

    assert ids() == [numbers[2], numbers[1]]
    assert ids("?status=closed") == [numbers[1]]
    assert ids("?status=open") == [numbers[2]]
    assert ids("?service_code=water-repair") == []
    assert ids(f"?service_request_id={numbers[0]},{hotline.tracking_number}") == [numbers[0]]
    start = (timezone.now() - timedelta(days=120)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert ids(f"?start_date={start}") == [numbers[0]]
    detail = client.get(f"/open311/v2/requests/{numbers[1]}.json").json()[0]
    assert detail["status"] == "closed" and detail["status_notes"] == "已修复"
    assert client.get(f"/open311/v2/requests/{hotline.tracking_number}.json").status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "?start_date=yesterday",
        "?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z",
        "?status=pending",
        "?start_date=0001-01-01T00:00:00",
        "?start_date=0001-01-01T00:00:00Z",
        "?end_date=0001-01-01T00:00:00Z",
        "?start_date=9999-12-31T23:59:59Z",
        "?end_date=9999-12-31T00:00:00",
        "?start_date=9999-12-20T00:00:00Z&end_date=9999-12-31T00:00:00Z",
        "?start_date=2026-02-30T00:00:00Z",
        "?start_date=2026-01-01T00:00:00%2B99:00",
    ],
)
def test_bad_list_filters_are_400_in_the_error_format(client, services, query):
    response = client.get(f"/open311/v2/requests.json{query}")
    assert response.status_code == 400 and response.json()[0]["code"] == 400
    assert response.json()[0]["description"]


def test_staff_see_the_answers_by_their_descriptions(client, api_key, services):
    number = _post(client, api_key, **{"attribute[scope]": "block"}).json()[0]["service_request_id"]
    case = Case.objects.get(tracking_number=number)
    client.force_login(services.dispatcher)
    page = client.get(f"/staff/cases/{case.pk}/").content.decode()
    assert "<dt>户号</dt><dd>8800123</dd>" in page and "<dt>范围</dt><dd>整栋</dd>" in page


def test_a_case_not_posted_through_open311_is_never_listed(client, services, api_key):
    """A case whose channel says open311 without having been posted here (as the REST API
    once let any token claim) stays out of the public lists."""
    posted = _post(client, api_key).json()[0]["service_request_id"]
    claimed = register(services, channel="open311").case
    listed = client.get("/open311/v2/requests.json").json()
    assert [r["service_request_id"] for r in listed] == [posted]
    assert client.get(f"/open311/v2/requests/{claimed.tracking_number}.json").status_code == 404
