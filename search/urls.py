from django.urls import path

from search import views

app_name = "search"

urlpatterns = [
    path("buscar/", views.search, name="search"),
    path("buscar/sugerencias/", views.autocomplete, name="autocomplete"),
    path("buscar/opensearch.xml", views.opensearch, name="opensearch"),
]
