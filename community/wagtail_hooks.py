"""The Café in the Wagtail admin (moderation queue, categories, sessions, log) and
its contributions to the home page, the demo and the personal data download."""

from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from allas_site.core.home_sections import HomeSection
from community.models import CafeSession, Category, ModerationAction, Report, Suspension


class ReportViewSet(ModelViewSet):
    """The moderation queue: open reports first, each linking to the post in context."""

    model = Report
    icon = "warning"
    menu_label = _("Denuncias")
    list_display = ["post", "reason", "reporter", "created_at", "resolved_at"]
    list_filter = ["resolved_at"]
    inspect_view_enabled = True
    add_to_admin_menu = False
    form_fields = ["reason"]

    def get_queryset(self, request):
        return Report.objects.select_related("post__debate", "reporter")


class CategoryViewSet(ModelViewSet):
    model = Category
    icon = "folder-open-inverse"
    menu_label = _("Categorías")
    list_display = ["name", "slug", "read_access", "post_access", "approve_first_posts"]
    form_fields = [
        "name", "slug", "description", "topic", "read_access", "post_access",
        "approve_first_posts", "order",
    ]


class SessionSaveMixin:
    """Sessions are validated and saved through the service, which also creates their
    debate; a bad date range is a form error."""

    def get_form(self, form_class=None):
        from community.services import CafeError, check_session

        form = super().get_form(form_class)
        model_clean = form.clean

        def clean():
            data = model_clean()
            if data.get("opens_at") and data.get("closes_at"):
                try:
                    check_session(CafeSession(opens_at=data["opens_at"],
                                              closes_at=data["closes_at"]))
                except CafeError as error:
                    form.add_error("closes_at", str(error))
            return data

        form.clean = clean
        return form

    def save_instance(self):
        from community.services import do_save_session

        return do_save_session(self.request.user, self.form.instance)


class SessionCreateView(SessionSaveMixin, generic.CreateView):
    pass


class SessionEditView(SessionSaveMixin, generic.EditView):
    pass


class CafeSessionViewSet(ModelViewSet):
    model = CafeSession
    icon = "date"
    menu_label = _("Sesiones")
    list_display = ["title", "opens_at", "closes_at", "guest"]
    form_fields = ["title", "description", "guest", "category", "opens_at", "closes_at", "cuaderno"]
    add_view_class = SessionCreateView
    edit_view_class = SessionEditView


class ModerationLogViewSet(ModelViewSet):
    model = ModerationAction
    icon = "history"
    menu_label = _("Registro de moderación")
    list_display = ["created_at", "moderator", "action", "debate", "post", "target_user", "details"]
    list_filter = ["action"]
    form_fields = ["details"]
    inspect_view_enabled = True


class SuspensionCreateView(generic.CreateView):
    """Suspending goes through the service: checked, and logged as a moderator action."""

    def form_valid(self, form):
        from community.services import CafeError, do_suspend

        try:
            self.object = do_suspend(
                self.request.user,
                form.cleaned_data["user"],
                until=form.cleaned_data["until"],
                reason=form.cleaned_data["reason"],
            )
        except CafeError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        return redirect(self.index_url_name)


class SuspensionViewSet(ModelViewSet):
    model = Suspension
    icon = "lock"
    menu_label = _("Suspensiones")
    list_display = ["user", "until", "reason", "created_by", "created_at"]
    form_fields = ["user", "until", "reason"]
    add_view_class = SuspensionCreateView


class CafeViewSetGroup(ViewSetGroup):
    menu_label = _("Café")
    menu_icon = "group"
    menu_order = 250
    items = (
        ReportViewSet("cafe_reports"),
        CategoryViewSet("cafe_categories"),
        CafeSessionViewSet("cafe_sessions"),
        SuspensionViewSet("cafe_suspensions"),
        ModerationLogViewSet("cafe_log"),
    )


@hooks.register("register_admin_viewset")
def register_cafe_viewsets():
    return CafeViewSetGroup()


HOME_CACHE_SECONDS = 60


def _home_items(user):
    from community.models import Debate
    from community.presenters import attach_participants, debates_for_listing

    readable = Category.objects.visible_to(user)
    sessions = list(
        CafeSession.objects.upcoming_or_open()
        .filter(category__in=readable)
        .select_related("guest", "debate")[:3]
    )
    debates = attach_participants(
        debates_for_listing(Debate.objects.visible_to(user), user).order_by(
            "-last_activity_at"
        )[:4]
    )
    return sessions, debates


@hooks.register("allas_home_section")
def cafe_home_section(request, home_page):
    from django.core.cache import cache

    user = request.user
    if user.is_authenticated:
        sessions, debates = _home_items(user)  # unread markers are personal
    else:
        # Everyone anonymous sees the same public items: a minute of staleness is fine.
        key = "cafe:home:anonymous"
        items = cache.get(key)
        if items is None:
            items = _home_items(user)
            cache.set(key, items, HOME_CACHE_SECONDS)
        sessions, debates = items
    if not sessions and not debates:
        return None
    return HomeSection(
        key="cafe",
        title=_("Café con AL-LAs"),
        template="components/cafe/home_section.html",
        context={"sessions": sessions, "debates": debates, "now": timezone.now()},
        order=40,
        more_url=reverse("community:index"),
        more_label=_("Todos los debates"),
    )


@hooks.register("allas_demo_loader")
def load_cafe_demo(stdout):
    from community.demo import load_cafe_demo as load

    load(stdout)


@hooks.register("allas_user_data_export")
def export_cafe_data(user):
    from community.models import Follow, MemberSettings, Post, Reaction, Report

    settings_row = MemberSettings.objects.filter(user=user).first()
    return "cafe", {
        "settings": {"handle": settings_row.handle, "email_mode": settings_row.email_mode}
        if settings_row else None,
        "posts": [
            {"id": post.pk, "debate": post.debate_id, "created_at": post.created_at.isoformat(),
             "status": post.status, "text": post.body_source}
            for post in Post.objects.filter(author=user).order_by("id")
        ],
        "reactions": list(Reaction.objects.filter(user=user).values("post_id", "kind")),
        "reports": list(Report.objects.filter(reporter=user).values("post_id", "reason")),
        "follows": list(Follow.objects.filter(user=user).values("debate_id", "category_id")),
    }
