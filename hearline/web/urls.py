from django.urls import path

from hearline.knowledge import public_views as knowledge

from . import portal_answers, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("submit/", views.submit, name="submit"),
    path("submit/answers/", portal_answers.suggest, name="answers"),
    path("submitted/", views.submitted, name="submitted"),
    path("kb/<int:article_id>/", knowledge.public_article, name="public_article"),
    path("kb/<int:article_id>/verdict/", portal_answers.article_verdict, name="article_verdict"),
    path("track/", views.track, name="track"),
    path("track/<str:action>/", views.respond, name="respond"),
]
