from django.urls import path

from . import views

app_name = "channels"

urlpatterns = [
    path("<str:source>/", views.webhook, name="webhook"),
]
