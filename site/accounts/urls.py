from django.urls import path

from allas_site.accounts import views

app_name = "accounts"

urlpatterns = [
    path("perfil/", views.profile, name="profile"),
    path("perfil/editar/", views.profile_edit, name="profile_edit"),
    path("perfil/mis-datos/", views.data_export, name="data_export"),
    path("perfil/eliminar/", views.delete_account, name="delete_account"),
    path("personas/<id:pk>/", views.person, name="person"),
]
