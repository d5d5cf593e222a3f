"""The Café in the Wagtail admin (moderation queue, categories, sessions, log) and
its contributions to the home page, the demo and the personal data download."""

from django.contrib import messages
from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.views import snippets as snippet_views

from allas_site.core.home_sections import HomeSection
from community.models import (
    CafeSession,
    Category,
    ModerationAction,
    Post,
    Report,
    Suspension,
)


class LimitedActionsPolicy(ModelPermissionPolicy):
    """The model permissions, minus the admin actions that would bypass the services:
    what a role may not do here it does through an action view that calls them."""

    def __init__(self, model, allowed):
        super().__init__(model)
        self.allowed = frozenset(allowed)

    def user_has_permission(self, user, action):
        return action in self.allowed and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([a for a in actions if a in self.allowed])


# Registered before the viewsets below ask for a policy. Reports are members' words and
# the log is the record: read-only. Suspensions are created and lifted through services;
# categories and sessions are created and changed through services, never deleted here
# (debates hang on them).
for _model, _allowed in (
    (Report, {"view"}),
    (ModerationAction, {"view"}),
    (Suspension, {"view", "add"}),
    (Category, {"view", "add", "change"}),
    (CafeSession, {"view", "add", "change"}),
):
    register_permission_policy(_model, LimitedActionsPolicy(_model, _allowed))


class PostLinkColumn(TitleColumn):
    """The reported post, linked to its place in the debate on the site."""

    def __init__(self):
        super().__init__(
            "post",
            label=capfirst(Report._meta.get_field("post").verbose_name),
            get_url=lambda report: report.post.get_absolute_url(),
        )


class ReportIndexView(generic.IndexView):
    def get_base_queryset(self):
        # Open reports first on every database (PostgreSQL sorts NULLs last by default).
        return Report.objects.select_related("post__debate", "reporter").order_by(
            F("resolved_at").asc(nulls_first=True), "-id"
        )

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if not self.user_has_permission("view"):
            return buttons
        for action, (label, icon) in REPORT_ACTIONS.items():
            if ReportActionView.applies(action, instance):
                buttons.append(MenuItem(
                    label, icon_name=icon, priority=5,
                    url=reverse("cafe_reports:moderate", args=[instance.pk, action]),
                ))
        return buttons


# Each action of the queue, done through the same services as on the site.
REPORT_ACTIONS = {
    "dismiss": (_("Descartar la denuncia"), "check"),
    "hide": (_("Ocultar"), "view"),
    "restore": (_("Restaurar"), "undo"),
}


class ReportActionView(PermissionCheckedMixin, WagtailAdminTemplateMixin,
                       TemplateView):
    """GET asks for confirmation, POST acts through ``community.services`` (which checks
    that the user moderates the Café and logs the action)."""

    model = Report
    permission_required = "view"
    index_url_name = None
    header_icon = "warning"
    template_name = "cafe/admin/report_action.html"

    @staticmethod
    def applies(action, report):
        if action == "dismiss":
            return report.resolved_at is None
        if action == "hide":
            return report.post.status != Post.Status.HIDDEN
        return action == "restore" and report.post.status != Post.Status.VISIBLE

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if kwargs["action"] not in REPORT_ACTIONS:
            raise Http404
        self.action = kwargs["action"]
        self.report = get_object_or_404(
            Report.objects.select_related("post__debate", "post__author", "reporter"),
            pk=kwargs["pk"],
        )

    def get_page_title(self):
        return REPORT_ACTIONS[self.action][0]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            report=self.report,
            post_url=self.report.post.get_absolute_url(),
            index_url=reverse(self.index_url_name),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        from community.services import (
            CafeError,
            do_hide_post,
            do_resolve_report,
            do_restore_post,
        )

        report, user = self.report, request.user
        try:
            if self.action == "dismiss":
                do_resolve_report(user, report)
                messages.success(request, _("Denuncia descartada."))
            elif self.action == "hide":
                do_hide_post(user, report.post, report.reason)
                messages.success(request, _("Mensaje oculto."))
            else:
                do_restore_post(user, report.post)
                messages.success(request, _("Mensaje visible."))
        except CafeError as error:
            messages.error(request, str(error))
        return redirect(self.index_url_name)


class ReportViewSet(ModelViewSet):
    """The moderation queue: open reports first, each linking to the post on the site,
    with dismiss / hide / restore in each row's menu."""

    model = Report
    icon = "warning"
    menu_label = _("Denuncias")
    list_display = ["reason", PostLinkColumn(), "reporter", "created_at", "resolved_at"]
    list_filter = ["resolved_at"]
    inspect_view_enabled = True
    copy_view_enabled = False
    add_to_admin_menu = False
    form_fields = ["reason"]  # no view edits it: the policy above allows "view" only
    index_view_class = ReportIndexView

    @property
    def moderate_view(self):
        return self.construct_view(ReportActionView)

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("moderate/<int:pk>/<slug:action>/", self.moderate_view, name="moderate"),
        ]


class CategorySaveMixin:
    def save_instance(self):
        from community.services import do_save_category

        return do_save_category(self.request.user, self.form.instance)


class CategoryCreateView(CategorySaveMixin, snippet_views.CreateView):
    pass


class CategoryEditView(CategorySaveMixin, snippet_views.EditView):
    pass


class CategoryViewSet(snippet_views.SnippetViewSet):
    """A snippet, so that Wagtail's translation tools (locale switcher, "Translate")
    work on categories like on topics and partners."""

    url_prefix = "cafe_categories"
    url_namespace = "cafe_categories"

    model = Category
    add_view_class = CategoryCreateView
    edit_view_class = CategoryEditView
    copy_view_enabled = False
    icon = "folder-open-inverse"
    menu_label = _("Categorías")
    list_display = ["name", "slug", "read_access", "post_access", "approve_first_posts"]
    list_filter = ["locale"]
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
    copy_view_enabled = False


class ModerationLogViewSet(ModelViewSet):
    model = ModerationAction
    icon = "history"
    menu_label = _("Registro de moderación")
    list_display = ["created_at", "moderator", "action", "debate", "post", "target_user", "details"]
    list_filter = ["action"]
    form_fields = ["details"]  # read-only: see the policy above
    inspect_view_enabled = True
    copy_view_enabled = False


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


class SuspensionIndexView(generic.IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self.user_has_permission("add") and instance.until > timezone.now():
            buttons.append(MenuItem(
                _("Levantar la suspensión"), icon_name="undo", priority=5,
                url=reverse("cafe_suspensions:lift", args=[instance.pk]),
            ))
        return buttons


class SuspensionLiftView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """GET asks for confirmation, POST ends the suspension through the service (which
    checks the moderator role and logs it)."""

    model = Suspension
    permission_required = "add"
    index_url_name = None
    header_icon = "lock"
    template_name = "cafe/admin/suspension_lift.html"
    page_title = _("Levantar la suspensión")

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.suspension = get_object_or_404(
            Suspension.objects.select_related("user"), pk=kwargs["pk"]
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            suspension=self.suspension, index_url=reverse(self.index_url_name), **kwargs
        )

    def post(self, request, *args, **kwargs):
        from community.services import CafeError, do_lift_suspension

        try:
            do_lift_suspension(request.user, self.suspension)
            messages.success(request, _("Suspensión levantada."))
        except CafeError as error:
            messages.error(request, str(error))
        return redirect(self.index_url_name)


class SuspensionViewSet(ModelViewSet):
    model = Suspension
    icon = "lock"
    menu_label = _("Suspensiones")
    list_display = ["user", "until", "reason", "created_by", "created_at"]
    form_fields = ["user", "until", "reason"]
    add_view_class = SuspensionCreateView
    index_view_class = SuspensionIndexView
    copy_view_enabled = False
    inspect_view_enabled = True

    @property
    def lift_view(self):
        return self.construct_view(SuspensionLiftView)

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("lift/<int:pk>/", self.lift_view, name="lift"),
        ]


class CafeViewSetGroup(ViewSetGroup):
    menu_label = _("Café")
    menu_icon = "group"
    menu_order = 250
    items = (
        ReportViewSet("cafe_reports"),
        CategoryViewSet(),
        CafeSessionViewSet("cafe_sessions"),
        SuspensionViewSet("cafe_suspensions"),
        ModerationLogViewSet("cafe_log"),
    )


@hooks.register("register_admin_viewset")
def register_cafe_viewsets():
    return CafeViewSetGroup()


HOME_CACHE_SECONDS = 60


@hooks.register("allas_home_section")
def cafe_home_section(request, home_page):
    from community import listings

    # The same for everyone who reads at the same level (kept per process until the
    # Café's listings change); only a member's unread marks are read per request.
    user = request.user
    sessions, debates = listings.kept(request, "home", user, listings.home_listing,
                                      HOME_CACHE_SECONDS)
    debates = listings.mark_unread(user, debates)
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
