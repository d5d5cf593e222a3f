from django.urls import path

from courses import views

app_name = "courses"

urlpatterns = [
    path("mi-aprendizaje/", views.my_learning, name="my_learning"),
    path("certificados/", views.certificate_lookup, name="certificate_lookup"),
    path("certificados/<str:code>/", views.certificate_detail, name="certificate"),
    path("certificados/<str:code>/pdf/", views.certificate_pdf, name="certificate_pdf"),
]
