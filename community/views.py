"""Café pages. Thin: parse, call a service, render. Writes answer an HTML form
(POST + redirect) and ``fetch`` (``Accept: application/json``) through the same code."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.models import Page

from allas_site.core.page_cache import cache_for_anonymous, depends_on
from allas_site.core.params import parse_id
from community import listings, permissions, presenters, reading, services
from community.events import post_payload, quote_summary
from community.forms import (
    DebateForm,
    EditForm,
    MoveForm,
    PreferencesForm,
    RelatoriaForm,
    ReplyForm,
    ReportForm,
    SuspendForm,
)
from community.models import Category, Debate, Follow, Post
from community.page_cache import LISTINGS, debate_section

POSTS_PER_PAGE = 25
DEBATES_PER_PAGE = 25
# Listings show relative times ("hace 5 minutos") and sessions that open and close with
# the clock: anonymous copies live one minute besides being retired by every Café change.
LISTING_CACHE_SECONDS = 60


def wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def json_error(error):
    return JsonResponse({"error": str(error), "code": error.code}, status=error.status)


def error_response(request, error, fallback_url):
    if wants_json(request):
        return json_error(error)
    messages.error(request, str(error))
    return redirect(fallback_url)


def refuse_unless(request, readable):
    """Nothing when ``readable``; else anonymous readers are sent to log in and the
    others get a 404 (no leak)."""
    if readable:
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise Http404


def readable_or_refuse(request, debate):
    return refuse_unless(request, permissions.can_read_debate(request.user, debate))


def get_debate(pk):
    return get_object_or_404(
        Debate.objects.select_related("category", "session", "page", "author"), pk=pk
    )


def get_post(pk):
    return get_object_or_404(
        Post.objects.select_related("debate__category", "debate__session", "author"), pk=pk
    )


# --- reading -----------------------------------------------------------------------------


@cache_for_anonymous(seconds=LISTING_CACHE_SECONDS, sections=(LISTINGS,))
def index(request):
    # Kept per reading level and process until the Café's listings change
    # (community.listings); only a member's unread marks are read per request.
    viewer = request.user
    categories, sessions, recent = listings.kept(
        request, "index", viewer, listings.index_listing, LISTING_CACHE_SECONDS
    )
    recent = listings.mark_unread(viewer, recent)
    return render(
        request,
        "cafe/index.html",
        {"categories": categories, "sessions": sessions, "recent": recent, "now": timezone.now()},
    )


@cache_for_anonymous(seconds=LISTING_CACHE_SECONDS, sections=(LISTINGS,))
def category_detail(request, category):
    category = get_object_or_404(Category.objects.originals(), slug=category)
    viewer = request.user
    refused = refuse_unless(request, permissions.can_read_category(viewer, category))
    if refused:
        return refused
    debates = presenters.debates_for_listing(category.debates.all(), viewer)
    page = Paginator(debates, DEBATES_PER_PAGE).get_page(request.GET.get("pagina"))
    page.object_list = presenters.attach_participants(page.object_list)
    following = (
        viewer.is_authenticated
        and Follow.objects.filter(user=viewer, category=category).exists()
    )
    return render(
        request,
        "cafe/category.html",
        {
            "category": category,
            "page_obj": page,
            "following": following,
            "can_start": permissions.can_start_debate(viewer, category),
            "why_not_start": permissions.why_not_start_debate(viewer, category),
        },
    )


@cache_for_anonymous
def debate_detail(request, pk, form=None, status=200):
    # Anonymous copies are stored only for debates everyone may read (others redirect
    # to the log-in page) and are retired by any change to this debate.
    depends_on(request, debate_section(pk))
    debate = listings.debate(request, pk, get_debate)
    refused = readable_or_refuse(request, debate)
    if refused:
        return refused
    viewer = request.user
    # The reader's read mark, draft, follow, pending post and suspension: one query.
    state = reading.reader_state(viewer, debate.pk)
    if viewer.is_authenticated:
        viewer._cafe_suspended = state.suspended  # what permissions.is_suspended reads
    last_read = state.last_read or 0
    if "sin-leer" in request.GET and viewer.is_authenticated:
        target = presenters.first_unread_post_id(viewer, debate, last_read)
        if target is None:
            return redirect(f"{debate.get_absolute_url()}?pagina=ultima#responder")
        number = presenters.page_number_of(viewer, debate, target, POSTS_PER_PAGE)
        return redirect(f"{debate.get_absolute_url()}?pagina={number}#m-{target}")
    wanted = request.GET.get("pagina")
    # Everyone but moderators and members with a post awaiting approval here reads the
    # same public posts: kept per debate and page (community.listings).
    shared = None
    if not permissions.is_moderator(viewer) and not state.has_pending:
        shared = listings.public_posts(request, debate.pk, wanted, POSTS_PER_PAGE)
    counts = None
    if shared is not None:
        # The page links need only the count and the number: no queryset behind them.
        paginator = Paginator([], POSTS_PER_PAGE)
        paginator.count, number, listed, counts = shared  # count: a cached property
        page = paginator.page(number)
        page.object_list = listed
    else:
        posts = (
            Post.objects.visible_to(viewer)
            .filter(debate=debate)
            .select_related("author", "quote_of__author")
            .order_by("id")
        )
        paginator = Paginator(posts, POSTS_PER_PAGE)
        page = paginator.get_page(paginator.num_pages if wanted == "ultima" else wanted)
    why_not = permissions.why_not_reply(viewer, debate)
    items = presenters.post_items(page.object_list, viewer, may_reply=why_not is None,
                                  experts=listings.expert_ids(request), counts=counts,
                                  reacted=state.has_reactions)
    last_shown_id = max((item.post.pk for item in items), default=0)
    # Read marks only move forward: nothing to write when this page was read already.
    if last_shown_id and viewer.is_authenticated and (
        state.last_read is None or state.last_read < last_shown_id
    ):
        services.do_mark_read(viewer, debate, last_shown_id)
    if form is None and why_not is None:
        initial = {"body": state.draft or ""}
        quote_id = parse_id(request.GET.get("citar", ""))
        if quote_id is not None:
            initial["quote_of"] = quote_id
        form = ReplyForm(initial=initial)
    quoting = None
    # A form that failed validation still holds the raw value ("abc"): parse it again.
    quote_id = parse_id(form["quote_of"].value()) if form is not None else None
    if quote_id is not None:
        quoting = quote_summary(
            Post.objects.visible_to(viewer)
            .filter(debate=debate, pk=quote_id)
            .select_related("author")
            .first()
        )
    is_mod = permissions.is_moderator(viewer)
    may_participate = permissions.is_member(viewer) and not permissions.is_suspended(viewer)
    context = {
        "debate": debate,
        "page_obj": page,
        "items": items,
        "form": form,
        "why_not_reply": why_not,
        "quoting": quoting,
        "is_last_page": page.number == paginator.num_pages,
        "first_unread": last_read and debate.last_post_id > last_read,
        "following": state.following,
        "is_moderator": is_mod,
        "move_form": MoveForm(initial={"category": debate.category_id}) if is_mod else None,
        "may_react": may_participate,
        "relatoria_available": is_mod and relatoria_service() is not None,
        "max_chars": services.post_max_chars(),
        "last_shown_id": last_shown_id,
        # Skeleton cloned by cafe.js for posts that arrive live (id 0 and the time are
        # replaced; the minute keeps its shared fragment from changing on every request).
        "template_item": presenters.PostItem(
            post=Post(pk=0, debate=debate, body_html="",
                      created_at=timezone.now().replace(second=0, microsecond=0)),
            can_report=permissions.is_member(viewer),
            quote={"id": 0, "author": "__AUTHOR__", "excerpt": "", "hidden": False},
        ),
    }
    return render(request, "cafe/debate.html", context, status=status)


def post_permalink(request, pk):
    post = get_post(pk)
    refused = refuse_unless(request, permissions.can_read_post(request.user, post))
    if refused:
        return refused
    number = presenters.page_number_of(request.user, post.debate, post.pk, POSTS_PER_PAGE)
    return redirect(f"{post.debate.get_absolute_url()}?pagina={number}#m-{post.pk}")


# --- writing -----------------------------------------------------------------------------


@require_POST
def reply(request, pk):
    debate = get_debate(pk)
    refused = readable_or_refuse(request, debate)
    if refused:
        return refused
    form = ReplyForm(request.POST)
    if request.POST.get("action") == "draft":
        try:
            services.do_save_draft(request.user, debate, request.POST.get("body", ""))
        except services.CafeError as error:
            return error_response(request, error, debate.get_absolute_url())
        if wants_json(request):
            return JsonResponse({"saved": True})
        messages.success(request, _("Borrador guardado."))
        return redirect(f"{debate.get_absolute_url()}?pagina=ultima#responder")
    if not form.is_valid():
        if wants_json(request):
            return JsonResponse(
                {"error": _("Revisa el formulario."), "code": "invalid_form",
                 "fields": form.errors.get_json_data()},
                status=400,
            )
        return debate_detail(request, pk, form=form, status=400)
    quote_of = None
    if form.cleaned_data.get("quote_of"):
        quote_of = Post.objects.filter(pk=form.cleaned_data["quote_of"]).first()
        if quote_of is None:
            form.add_error(None, _("El mensaje citado no existe."))
            return debate_detail(request, pk, form=form, status=400)
    try:
        post = services.do_create_post(
            request.user, debate, form.cleaned_data["body"], quote_of=quote_of
        )
    except services.CafeError as error:
        if wants_json(request):
            return json_error(error)
        if error.status == 403 and not request.user.is_authenticated:
            return redirect_to_login(debate.get_absolute_url())
        form.add_error("body", str(error))
        return debate_detail(request, pk, form=form, status=error.status)
    if wants_json(request):
        post.debate = debate
        return JsonResponse({"id": post.pk, "url": post.get_absolute_url(),
                             "post": post_payload(post)}, status=201)
    if post.status == Post.Status.PENDING:
        messages.info(
            request,
            _("Gracias. Tu primer mensaje se publicará cuando lo apruebe la moderación."),
        )
    return redirect(post.get_absolute_url())


@login_required
def debate_new(request):
    viewer = request.user
    categories = [
        category for category in Category.objects.visible_to(viewer)
        if permissions.can_start_debate(viewer, category)
    ]
    page = None
    page_id = parse_id(request.POST.get("page") or request.GET.get("pagina_id") or "")
    if page_id is not None:
        page = Page.objects.live().filter(pk=page_id).first()
    if not categories:
        reason = permissions.why_not_start_debate(
            viewer, Category(read_access="everyone", post_access="members")
        ) or _("No puedes abrir debates en ninguna categoría.")
        messages.error(request, reason)
        return redirect("community:index")
    initial = {"page": page.pk if page else None}
    wanted = request.GET.get("categoria")
    for category in categories:
        if category.slug == wanted:
            initial["category"] = category.pk
    form = DebateForm(request.POST or None, categories=categories, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                debate = services.do_start_debate(
                    viewer,
                    form.cleaned_data["category"],
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                    page=page,
                )
            except services.CafeError as error:
                form.add_error(None, str(error))
                status = error.status
            else:
                return redirect(debate)
        else:
            status = 400
    return render(request, "cafe/debate_new.html", {"form": form, "page": page}, status=status)


@login_required
def post_edit(request, pk):
    post = get_post(pk)
    if not permissions.can_read_post(request.user, post):
        raise Http404
    reason = permissions.why_not_edit(request.user, post)
    if reason:
        return error_response(
            request, services.CafePermissionError(reason), post.debate.get_absolute_url()
        )
    form = EditForm(request.POST or None, initial={"body": post.body_source})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            post = services.do_edit_post(request.user, post, form.cleaned_data["body"])
        except services.CafeError as error:
            if wants_json(request):
                return json_error(error)
            form.add_error("body", str(error))
            status = error.status
        else:
            if wants_json(request):
                return JsonResponse({"id": post.pk, "post": post_payload(post)})
            messages.success(request, _("Mensaje actualizado."))
            return redirect(post.get_absolute_url())
    elif request.method == "POST":
        status = 400
    return render(request, "cafe/post_edit.html", {"form": form, "post": post}, status=status)


@require_POST
def post_react(request, pk):
    post = get_post(pk)
    if not permissions.can_read_post(request.user, post):
        raise Http404
    try:
        added, counts = services.do_toggle_reaction(request.user, post, request.POST.get("kind"))
    except services.CafeError as error:
        return error_response(request, error, post.get_absolute_url())
    if wants_json(request):
        return JsonResponse({"id": post.pk, "added": added, "counts": counts})
    return redirect(post.get_absolute_url())


@login_required
def post_report(request, pk):
    post = get_post(pk)
    if not permissions.can_read_post(request.user, post):
        raise Http404
    reason = permissions.why_not_report(request.user, post)
    if reason:
        return error_response(
            request, services.CafePermissionError(reason), post.get_absolute_url()
        )
    form = ReportForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.do_report(request.user, post, form.cleaned_data["reason"])
            except services.CafeError as error:
                form.add_error("reason", str(error))
                status = error.status
            else:
                messages.success(request, _("Gracias: la moderación revisará el mensaje."))
                return redirect(post.get_absolute_url())
        else:
            status = 400
    return render(request, "cafe/post_report.html", {"form": form, "post": post}, status=status)


@require_POST
def draft_save(request, pk):
    debate = get_debate(pk)
    refused = readable_or_refuse(request, debate)
    if refused:
        return refused
    try:
        services.do_save_draft(request.user, debate, request.POST.get("body", ""))
    except services.CafeError as error:
        return error_response(request, error, debate.get_absolute_url())
    return JsonResponse({"saved": True})


@require_POST
def debate_follow(request, pk):
    debate = get_debate(pk)
    refused = readable_or_refuse(request, debate)
    if refused:
        return refused
    try:
        services.do_follow(request.user, debate=debate, follow=request.POST.get("follow") == "1")
    except services.CafeError as error:
        return error_response(request, error, debate.get_absolute_url())
    return redirect(debate)


@require_POST
def category_follow(request, category):
    category = get_object_or_404(Category.objects.originals(), slug=category)
    try:
        services.do_follow(
            request.user, category=category, follow=request.POST.get("follow") == "1"
        )
    except services.CafeError as error:
        if not permissions.can_read_category(request.user, category):
            raise Http404 from error
        return error_response(request, error, category.get_absolute_url())
    return redirect(category)


@login_required
def member_search(request):
    if not permissions.is_member(request.user):
        return JsonResponse({"results": []})
    people = presenters.member_matches(request.user, request.GET.get("q", ""))
    handles = services.ensure_handles(people)
    return JsonResponse(
        {
            "results": [
                {"id": person.pk, "name": person.public_name, "handle": handles[person.pk]}
                for person in people
            ]
        }
    )


@login_required
def preferences(request):
    settings_row = services.member_settings(request.user)
    form = PreferencesForm(request.POST or None, initial={"email_mode": settings_row.email_mode})
    if request.method == "POST" and form.is_valid():
        services.do_set_email_mode(request.user, form.cleaned_data["email_mode"])
        messages.success(request, _("Preferencias guardadas."))
        return redirect("community:preferences")
    return render(request, "cafe/preferences.html", {"form": form, "handle": settings_row.handle})


# --- moderation (front end; the queue lives in the Wagtail admin) ----------------------------


def _back(request, fallback):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(target)
    return redirect(fallback)


@require_POST
def post_moderate(request, pk):
    post = get_post(pk)
    action = request.POST.get("action")
    try:
        services.check_moderate(request.user)
        if action == "hide":
            services.do_hide_post(request.user, post, request.POST.get("reason", ""))
            messages.success(request, _("Mensaje oculto."))
        elif action in {"restore", "approve"}:
            services.do_restore_post(request.user, post)
            messages.success(request, _("Mensaje visible."))
        else:
            raise services.CafeError(_("Acción desconocida."))
    except services.CafeError as error:
        if error.status == 403 and not permissions.can_read_post(request.user, post):
            raise Http404 from error
        return error_response(request, error, post.debate.get_absolute_url())
    if wants_json(request):
        return JsonResponse({"ok": True})
    return _back(request, post.get_absolute_url())


@require_POST
def debate_moderate(request, pk):
    debate = get_debate(pk)
    action = request.POST.get("action")
    try:
        services.check_moderate(request.user)
        if action in {"lock", "unlock"}:
            services.do_set_locked(request.user, debate, action == "lock")
        elif action in {"pin", "unpin"}:
            services.do_set_pinned(request.user, debate, action == "pin")
        elif action == "move":
            form = MoveForm(request.POST)
            if not form.is_valid():
                raise services.CafeError(_("Elige una categoría."))
            services.do_move_debate(request.user, debate, form.cleaned_data["category"])
        else:
            raise services.CafeError(_("Acción desconocida."))
    except services.CafeError as error:
        if error.status == 403 and not permissions.can_read_debate(request.user, debate):
            raise Http404 from error
        return error_response(request, error, debate.get_absolute_url())
    messages.success(request, _("Debate actualizado."))
    return redirect(debate)


@login_required
def post_history(request, pk):
    post = get_post(pk)
    if not permissions.is_moderator(request.user):
        raise Http404
    revisions = post.revisions.select_related("edited_by")
    return render(request, "cafe/post_history.html", {"post": post, "revisions": revisions})


@login_required
def suspend_member(request, user_id):
    if not permissions.is_moderator(request.user):
        raise Http404
    member = get_object_or_404(get_user_model(), pk=user_id)
    form = SuspendForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.do_suspend(
                    request.user,
                    member,
                    until=timezone.now() + timedelta(days=form.cleaned_data["days"]),
                    reason=form.cleaned_data["reason"],
                )
            except services.CafeError as error:
                form.add_error(None, str(error))
                status = error.status
            else:
                messages.success(request, _("Suspensión registrada."))
                return _back(request, reverse("community:index"))
        else:
            status = 400
    context = {"form": form, "member": member, "next": request.GET.get("next", "")}
    return render(request, "cafe/suspend.html", context, status=status)


@login_required
def relatoria(request, pk):
    from django.core.exceptions import PermissionDenied, ValidationError

    debate = get_debate(pk)
    if not permissions.is_moderator(request.user) or relatoria_service() is None:
        raise Http404
    posts = list(Post.objects.public().filter(debate=debate).select_related("author"))
    form = RelatoriaForm(
        request.POST or None,
        posts=posts,
        initial={"title": _("Relatoría: %(title)s") % {"title": debate.title}},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                page = services.do_create_relatoria(
                    request.user, debate, title=form.cleaned_data["title"],
                    post_ids=[int(pk) for pk in form.cleaned_data["posts"]],
                )
            except (services.CafeError, PermissionDenied, ValidationError) as error:
                message = "; ".join(error.messages) if hasattr(error, "messages") else str(error)
                form.add_error(None, message)
                status = 400
            else:
                messages.success(request, _("Relatoría creada como borrador."))
                return redirect("wagtailadmin_pages:edit", page.pk)
        else:
            status = 400
    return render(request, "cafe/relatoria.html", {"form": form, "debate": debate}, status=status)


def relatoria_service():
    """The publishing capability's draft maker, when it exists."""
    try:
        from allas_site.publications import services as publication_services
    except ImportError:
        return None
    return getattr(publication_services, "do_create_relatoria_draft", None)


# --- feeds -----------------------------------------------------------------------------------


class CategoryFeed(Feed):
    """Latest visible posts of a category that everyone may read (feed readers carry no
    session, so members-only categories have no feed)."""

    def get_object(self, request, category):
        category = get_object_or_404(Category.objects.originals(), slug=category)
        if category.read_access != "everyone":
            raise Http404
        return category

    def title(self, category):
        return _("Café con AL-LAs · %(name)s") % {"name": category.display_name}

    def link(self, category):
        return category.get_absolute_url()

    def description(self, category):
        return category.display_description

    def items(self, category):
        return (
            Post.objects.public()
            .filter(debate__category=category)
            .select_related("debate", "author")
            .order_by("-id")[:30]
        )

    def item_title(self, post):
        return post.debate.title

    def item_description(self, post):
        return post.body_html

    def item_author_name(self, post):
        return post.author.public_name if post.author else ""

    def item_pubdate(self, post):
        return post.created_at
