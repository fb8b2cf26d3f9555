// Starts Swagger UI on the API docs page with the settings the page embeds; requests made
// from the page carry the CSRF token (the API asks it of a signed-in browser session).
(function () {
  var settings = JSON.parse(document.getElementById("swagger-settings").textContent);
  var csrfToken = document.body.dataset.csrfToken;
  settings.dom_id = "#swagger-ui";
  settings.presets = [SwaggerUIBundle.presets.apis];
  settings.requestInterceptor = function (request) {
    if (csrfToken) request.headers["X-CSRFToken"] = csrfToken;
    return request;
  };
  SwaggerUIBundle(settings);
})();
