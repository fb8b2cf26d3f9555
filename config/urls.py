from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from hearline.accounts.signin import AdminSignInForm
from hearline.api.endpoints import api
from hearline.incidents import views as incidents

admin.site.site_header = _("Hearline administration")
admin.site.site_title = _("Hearline administration")
admin.site.index_template = "hearline_admin/index.html"  # adds the missing-calendar warning
admin.site.login_form = AdminSignInForm

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("hearline.accounts.urls")),
    path("staff/supervision/", include("hearline.sla.urls")),
    path("staff/", include("hearline.web.staff_urls")),
    path("api/v1/", api.urls),
    path("open311/v2/", include("hearline.open311.urls")),
    path("webhooks/", include("hearline.channels.urls")),
    path("incidents/", incidents.public_list, name="incident_public_list"),
    path("incidents/<int:incident_id>/", incidents.public_detail, name="incident_public"),
    path("", include("hearline.web.urls")),
]

handler500 = "hearline.web.errors.server_error"
