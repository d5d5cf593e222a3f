from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from allas_site.core.home_sections import HomeSection, shared_section
from allas_site.core.navigation import localized_path
from courses.dashboard import DashboardSection
from webinars import presenters
from webinars.models import Registration, WebinarIndexPage, WebinarSeries

HOME_EVENTS = 3


class WebinarSeriesViewSet(SnippetViewSet):
    model = WebinarSeries
    icon = "date"
    menu_label = gettext_lazy("Ciclos de webinars")
    menu_order = 215
    add_to_admin_menu = True
    list_display = ["name", "slug"]
    list_filter = ["locale"]
    search_fields = ["name"]


register_snippet(WebinarSeriesViewSet)


@hooks.register("allas_home_section")
@shared_section
def upcoming_webinars_section(request, home_page):
    """The next events of the home page's language tree, the same for every visitor."""
    locale = home_page.locale
    index = WebinarIndexPage.objects.live().filter(locale=locale).first()
    if index is None:
        return None
    now = timezone.now()
    events = presenters.agenda_events(index).upcoming(now).scheduled()
    events = list(events.order_by("starts_at", "pk")[:HOME_EVENTS])
    if not events:
        return None
    index_url = index.get_url(request) or localized_path("/webinars/")
    for event in events:
        event.url_in_agenda = f"{index_url}{event.slug}/"
        event.live_now = event.is_live(now)
    return HomeSection(
        key="webinars",
        title=_("Próximos webinars"),
        template="webinars/home_section.html",
        context={"events": events},
        order=30,
        more_url=index_url,
        more_label=_("Toda la agenda"),
    )


@hooks.register("allas_learning_dashboard_section")
def my_webinars_section(request):
    from webinars.dashboard import dashboard_context

    if not request.user.is_authenticated:
        return None
    return DashboardSection(
        key="webinars",
        title=_("Webinars y eventos"),
        template="webinars/dashboard_section.html",
        context=dashboard_context(request),
        order=20,
    )


@hooks.register("allas_demo_loader")
def load_webinar_demo(stdout):
    from webinars.demo import load_webinars

    load_webinars(stdout)


@hooks.register("allas_user_data_export")
def export_webinar_data(user):
    registrations = Registration.objects.filter(user=user).select_related("webinar")
    data = [
        {
            "event": registration.webinar.title,
            "starts_at": registration.webinar.starts_at.isoformat(),
            "status": registration.status,
            "registered_at": registration.created_at.isoformat(),
            "cancelled_at": registration.cancelled_at.isoformat()
            if registration.cancelled_at else None,
            "attended_at": registration.attended_at.isoformat()
            if registration.attended_at else None,
            "organisation": registration.organisation,
            "city": registration.city,
            "accessibility_needs": registration.accessibility_needs,
        }
        for registration in registrations
    ]
    return "webinars", data



# --- After the event: registrants, export and messages for editors (webinars.admin_views) ---

def _archive_admin_urls():
    from django.urls import path

    from webinars import admin_views

    return [
        path("<int:page_id>/inscripciones/", admin_views.registrants, name="registrants"),
        path("<int:page_id>/mensaje/", admin_views.message, name="message"),
    ]


@hooks.register("register_admin_urls")
def register_webinar_archive_admin_urls():
    from django.urls import include, path

    return [path("webinars/", include((_archive_admin_urls(), "webinars_admin"),
                                      namespace="webinars_admin"))]


def _registrants_button(page, user):
    from django.urls import reverse
    from wagtail.admin.widgets import Button

    from webinars.archive import can_manage_registrants
    from webinars.models import WebinarPage

    if not issubclass(page.specific_class or type(page), WebinarPage):
        return None
    if not can_manage_registrants(user, page):
        return None
    return Button(_("Inscripciones"), reverse("webinars_admin:registrants", args=[page.pk]),
                  icon_name="group", priority=55)


@hooks.register("register_page_header_buttons")
def webinar_registrants_header_button(page, user, view_name, next_url=None):
    button = _registrants_button(page, user)
    if button is not None:
        yield button


@hooks.register("register_page_listing_more_buttons")
def webinar_registrants_listing_button(page, user, next_url=None):
    button = _registrants_button(page, user)
    if button is not None:
        yield button


@hooks.register("allas_demo_loader")
def load_webinar_certificates_demo(stdout):
    # Registered after load_webinar_demo (same module), so its attendees exist.
    from webinars.archive import load_demo_certificates

    load_demo_certificates(stdout)
