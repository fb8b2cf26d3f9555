from django.urls import path

from . import views

app_name = "sla"
urlpatterns = [
    path("", views.board, name="board"),
    path("act/", views.act, name="act"),
    path("cases/", views.board_cases, name="cases"),
]
