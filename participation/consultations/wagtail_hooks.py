from django.utils.translation import gettext as _
from wagtail import hooks


def _admin_urls():
    from django.urls import path

    from participation.consultations import admin_views

    return [
        path("<int:page_id>/", admin_views.overview, name="overview"),
        path("<int:page_id>/moderacion/", admin_views.moderation, name="moderation"),
        path("<int:page_id>/informe/", admin_views.report, name="report"),
        path("<int:page_id>/exportar/", admin_views.export, name="export"),
        path("<int:page_id>/devolucion/", admin_views.publish_return, name="publish_return"),
        path("<int:page_id>/relatoria/", admin_views.relatoria, name="relatoria"),
    ]


@hooks.register("register_admin_urls")
def register_consultation_admin_urls():
    from django.urls import include, path

    return [path("consultas/", include((_admin_urls(), "consultations_admin"),
                                       namespace="consultations_admin"))]


def _responses_button(page, user):
    from django.urls import reverse
    from wagtail.admin.widgets import Button

    from participation.consultations import services
    from participation.consultations.models import ConsultationPage

    if not issubclass(page.specific_class or type(page), ConsultationPage):
        return None
    consultation = services.original_of(page.specific)
    if not services.is_consultation_editor(user, consultation):
        return None
    return Button(_("Respuestas y resultados"),
                  reverse("consultations_admin:overview", args=[consultation.pk]),
                  icon_name="list-ul", priority=55)


@hooks.register("register_page_header_buttons")
def consultation_header_button(page, user, view_name, next_url=None):
    button = _responses_button(page, user)
    if button is not None:
        yield button


@hooks.register("register_page_listing_more_buttons")
def consultation_listing_button(page, user, next_url=None):
    button = _responses_button(page, user)
    if button is not None:
        yield button


@hooks.register("allas_user_data_export")
def export_consultation_data(user):
    from participation.consultations.exports import personal_data

    return "consultations", personal_data(user)


@hooks.register("allas_demo_loader")
def load_consultation_demo(stdout):
    from participation.consultations.demo import load_consultations

    load_consultations(stdout)
