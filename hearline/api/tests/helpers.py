"""What the API tests send: a bearer token's header, a JSON body, the complaint most of them
register."""

import json

PROBLEM = "application/problem+json"


def _auth(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def _post(client, url, body, token, **headers):
    return client.post(
        url, json.dumps(body), content_type="application/json", **_auth(token), **headers
    )


CASE = {
    "description": "小区停水一整天，没有通知。",
    "address": "海曙区中山西路1号",
    "district": "海曙区",
    "request": "尽快恢复供水",
    "complainant": {"name": "陈先生", "phone": "13600001111"},
}
