"""The API's documentation page (/api/v1/docs): Swagger UI from this server's own static
files (swagger-ui-dist from npm), never from a CDN, with no inline script, so it works
offline and under the Content-Security-Policy."""

from django.shortcuts import render
from ninja.openapi.docs import Swagger


class LocalSwagger(Swagger):
    """Swagger UI served locally. Requests made from the page ("Try it out") carry the
    CSRF token, which the API asks of a signed-in browser session."""

    template = "api/docs.html"

    def __init__(self):
        # No online validator: it would send the schema to validator.swagger.io.
        super().__init__(settings={"validatorUrl": None})

    def render_page(self, request, api, **kwargs):
        """The page; Swagger UI reads its settings from the JSON block in it."""
        swagger = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        return render(request, self.template, {"api": api, "swagger_settings": swagger})
