from django.urls import path

from community import views

app_name = "community"

# Fixed words first: a category slug can never take their place (see Category.clean).
urlpatterns = [
    path("cafe/", views.index, name="index"),
    path("cafe/nuevo/", views.debate_new, name="debate_new"),
    path("cafe/personas/", views.member_search, name="member_search"),
    path("cafe/preferencias/", views.preferences, name="preferences"),
    path("cafe/debates/<id:pk>/", views.debate_detail, name="debate"),
    path("cafe/debates/<id:pk>/responder/", views.reply, name="reply"),
    path("cafe/debates/<id:pk>/borrador/", views.draft_save, name="draft"),
    path("cafe/debates/<id:pk>/seguir/", views.debate_follow, name="debate_follow"),
    path("cafe/debates/<id:pk>/moderar/", views.debate_moderate, name="debate_moderate"),
    path("cafe/debates/<id:pk>/relatoria/", views.relatoria, name="relatoria"),
    path("cafe/mensajes/<id:pk>/", views.post_permalink, name="post"),
    path("cafe/mensajes/<id:pk>/editar/", views.post_edit, name="post_edit"),
    path("cafe/mensajes/<id:pk>/reaccionar/", views.post_react, name="post_react"),
    path("cafe/mensajes/<id:pk>/denunciar/", views.post_report, name="post_report"),
    path("cafe/mensajes/<id:pk>/moderar/", views.post_moderate, name="post_moderate"),
    path("cafe/mensajes/<id:pk>/historial/", views.post_history, name="post_history"),
    path("cafe/moderacion/suspender/<id:user_id>/", views.suspend_member, name="suspend"),
    path("cafe/<slug:category>/", views.category_detail, name="category"),
    path("cafe/<slug:category>/seguir/", views.category_follow, name="category_follow"),
    path("cafe/<slug:category>/feed/", views.CategoryFeed(), name="category_feed"),
]
