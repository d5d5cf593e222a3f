from django.urls import path

from allas_site.publications import feeds, views

app_name = "publications"

urlpatterns = [
    path("cuadernos/feed.rss", feeds.PublicationsFeed(), name="feed_rss"),
    path("cuadernos/feed.atom", feeds.PublicationsAtomFeed(), name="feed_atom"),
    path(
        "cuadernos/descargar/<id:page_id>/<str:language>/",
        views.download,
        name="download",
    ),
    path(
        "cuadernos/citar/<id:page_id>.<str:fmt>",
        views.citation,
        name="citation",
    ),
    path("temas/", views.topic_list, name="topic_list"),
    path("temas/<slug:slug>/", views.topic_detail, name="topic_detail"),
    path("socios/", views.partner_list, name="partner_list"),
    path("socios/<slug:slug>/", views.partner_detail, name="partner_detail"),
    path("sin-traducir/<id:page_id>/", views.not_translated, name="not_translated"),
]
