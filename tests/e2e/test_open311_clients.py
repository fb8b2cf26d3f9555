"""Real Open311 client libraries from PyPI against a running Hearline: civicbot (JSON,
reads and POST) and georeport (JSON and XML reads)."""

import pytest
from civicbot.http import HttpTransport, RateLimiter
from civicbot.open311 import CONFIRM_TOKEN, Open311Client
from civicbot.registry import Endpoint
from georeport import GeoReport

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def endpoint(live_hearline):
    token = live_hearline.run(
        "apikey", "create", "--name", "open311-clients", "--role", "agent",
        "--department", "callcentre",
    ).strip()  # fmt: skip
    url = live_hearline.url + "/open311/v2"
    return url, token


def _civicbot(url):
    endpoint = Endpoint(id="hearline", name="Hearline", base_url=url, write=True)
    return Open311Client(endpoint, HttpTransport(rate_limiter=RateLimiter(min_interval=0)))


def test_civicbot_files_a_request_validated_against_our_service_definition(endpoint):
    url, token = endpoint
    client = _civicbot(url)
    services = client.list_services()
    quality = next(s for s in services if s["service_code"] == "water-quality")
    assert quality["metadata"] is True and quality["group"] == "供水服务"

    sent = client.create_request(
        "water-quality",
        dry_run=False,
        confirm=CONFIRM_TOKEN,
        api_key=token,
        validate_remote=True,
        lat=29.8683,
        lng=121.544,
        address_string="海曙区中山西路1号",
        description="自来水发黄有异味，已经两天了。",
        attributes={"symptom": ["yellow", "smell"]},
        email="chen@example.org",
        first_name="明",
        last_name="陈",
    )
    created = sent.response[0]
    number = created["service_request_id"]
    assert created["token"] and created["service_notice"]

    fetched = client.get_request(number)
    assert fetched["service_request_id"] == number
    assert fetched["status"] == "open" and fetched["service_code"] == "water-quality"
    assert fetched["agency_responsible"] == "话务受理中心"
    assert fetched["expected_datetime"] and fetched["lat"] == pytest.approx(29.8683)
    assert client.get_token(created["token"])[0]["service_request_id"] == number
    listed = client.list_requests(service_code="water-quality", status="open")
    assert number in [r["service_request_id"] for r in listed]


def test_georeport_reads_json_and_xml(endpoint):
    url, token = endpoint
    client = _civicbot(url)
    number = client.create_request(
        "water-pressure",
        dry_run=False,
        confirm=CONFIRM_TOKEN,
        api_key=token,
        address_string="江北区人民路8号",
        description="高峰时段水压很低，六楼没水。",
        attributes={"floor": "6"},
    ).response[0]["service_request_id"]

    for fmt in ("json", "xml"):
        geo = GeoReport(url, output_format=fmt)
        services = geo.get_service_list()
        assert {"water-quality", "water-pressure"} <= {s["service_code"] for s in services}
        definition = geo.get_service_definition("water-billing")
        attributes = definition["attributes"]
        if fmt == "xml":
            attributes = attributes["attribute"]
        assert [a["code"] for a in attributes] == ["account", "amount"]
        one = geo.get_service_request(number)
        assert one["service_request_id"] == number and one["service_code"] == "water-pressure"
        many = geo.get_service_requests(service_request_id=number)
        many = many if isinstance(many, list) else [many]
        assert [r["service_request_id"] for r in many] == [number]
