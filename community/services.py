"""Every write of the Café.

``check_*`` validates and checks permission (raises ``CafeError`` with a sentence for
the member), ``do_*`` writes in one transaction, ``notify_*`` announces the change
after commit to the debate's group (``debate_group``) with the id of the row.
Notifications to people (mentions, followers, e-mail) are slower: they run after commit
in a task (``community.tasks.notify_readers``), after the post's own broadcast.
"""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from allas_site.core import rate_limit
from allas_site.core.navigation import absolute_url
from allas_site.notifications.services import do_notify
from allas_site.realtime import send_event_on_commit
from community import category_texts, permissions, read_marks, reading
from community.events import debate_group, moderators_group, post_payload
from community.models import (
    ORIGINALS,
    CafeSession,
    Category,
    Debate,
    DigestItem,
    Draft,
    Follow,
    MemberSettings,
    ModerationAction,
    Post,
    PostRevision,
    Reaction,
    ReadState,
    Report,
    Suspension,
)
from community.sanitizer import MENTION, clean_post, plain_text
from search import signals as search_signals

MAX_TITLE = 200
MAX_DRAFT = 40_000
PARTICIPANTS_SHOWN = 5


class CafeError(Exception):
    """An action that is not allowed or not valid; ``str(error)`` is for the member."""

    def __init__(self, message, code="invalid", status=400):
        super().__init__(message)
        self.code = code
        self.status = status


class CafePermissionError(CafeError):
    def __init__(self, message, code="forbidden"):
        super().__init__(message, code=code, status=403)


def post_max_chars():
    return getattr(settings, "CAFE_POST_MAX_CHARS", 10_000)


def post_rate_limit():
    """(posts, seconds) a member may publish; moderators are not limited."""
    return getattr(settings, "CAFE_POST_RATE_LIMIT", (6, 60))


# --- checks ---------------------------------------------------------------------------


def _deny(reason, code="forbidden"):
    if reason:
        raise CafePermissionError(reason, code=code)


def check_can_read(user, debate):
    if not permissions.can_read_debate(user, debate):
        raise CafePermissionError(_("No tienes acceso a este debate."), code="no_access")


def check_body(source):
    """Return ``(source, cleaned_html)`` or raise for an empty or oversized post."""
    if not isinstance(source, str):
        raise CafeError(_("El mensaje debe ser texto."), code="bad_body")
    source = source.strip()
    limit = post_max_chars()
    if len(source) > limit:
        raise CafeError(
            _("El mensaje es demasiado largo: %(length)s caracteres; el máximo es %(limit)s.")
            % {"length": len(source), "limit": limit},
            code="too_long",
        )
    html = clean_post(source)
    text = plain_text(html)
    if not text:
        raise CafeError(_("El mensaje está vacío."), code="empty")
    mentions = mention_urls({handle.lower() for handle in MENTION.findall(text)})
    if mentions:
        html = clean_post(source, mentions=mentions)
    return source, html


def mention_urls(handles):
    """Profile path of each active member among ``handles`` (for linking @mentions)."""
    from django.urls import reverse
    from django.utils import translation

    if not handles:
        return {}
    rows = MemberSettings.objects.filter(
        handle__in=handles, user__is_active=True
    ).values_list("handle", "user_id")
    # Stored HTML is shared by every language: link the unprefixed (default) path.
    with translation.override(settings.LANGUAGE_CODE):
        return {handle: reverse("accounts:person", args=[pk]) for handle, pk in rows}


def check_title(title):
    title = (title or "").strip()
    if not title:
        raise CafeError(_("El debate necesita un título."), code="empty_title")
    if len(title) > MAX_TITLE:
        raise CafeError(
            _("El título admite como máximo %(limit)s caracteres.") % {"limit": MAX_TITLE},
            code="title_too_long",
        )
    return title


def check_rate_limit(user):
    """A per-member flood guard kept in the (shared) cache."""
    if permissions.is_moderator(user):
        return
    if not rate_limit.allow("cafe", user.pk, post_rate_limit()):
        raise CafeError(
            _("Estás publicando muy deprisa: espera un momento antes de volver a intentarlo."),
            code="rate_limited",
            status=429,
        )


def check_reply(user, debate, source, quote_of=None):
    _deny(permissions.why_not_reply(user, debate))
    source, html = check_body(source)
    if quote_of is not None and (
        quote_of.debate_id != debate.pk or not permissions.can_read_post(user, quote_of)
    ):
        raise CafeError(_("Solo puedes citar mensajes de este debate."), code="bad_quote")
    check_rate_limit(user)
    return source, html


# --- member settings, follows, read state, drafts ----------------------------------------


def member_settings(user):
    """The member's Café settings, created on first use with a unique @handle."""
    existing = MemberSettings.objects.filter(user=user).first()
    if existing:
        return existing
    base = slugify(user.public_name)[:70] or f"miembro-{user.pk}"
    for suffix in ["", *(f"-{n}" for n in range(2, 50)), f"-{user.pk}"]:
        try:
            with transaction.atomic():
                return MemberSettings.objects.create(user=user, handle=base + suffix)
        except IntegrityError:
            existing = MemberSettings.objects.filter(user=user).first()
            if existing:
                return existing
    raise CafeError(_("No se pudo crear tu alias."))


def ensure_handles(users):
    """Handles for the listed users (autocomplete), creating the missing ones."""
    users = list(users)
    known = dict(
        MemberSettings.objects.filter(user__in=users).values_list("user_id", "handle")
    )
    return {user.pk: known.get(user.pk) or member_settings(user).handle for user in users}


@transaction.atomic
def do_set_email_mode(user, mode):
    if mode not in MemberSettings.EmailMode.values:
        raise CafeError(_("Elige una de las opciones de correo."))
    member = member_settings(user)
    member.email_mode = mode
    member.save(update_fields=["email_mode"])
    return member


def do_follow(user, *, debate=None, category=None, follow=True):
    if not user.is_authenticated:
        raise CafePermissionError(_("Entra con tu cuenta para seguir debates."))
    target = debate.category if debate else category
    if not permissions.can_read_category(user, target):
        raise CafePermissionError(_("No tienes acceso a esta categoría."))
    lookup = {"user": user, "debate": debate} if debate else {"user": user, "category": category}
    if follow:
        Follow.objects.get_or_create(**lookup)
    else:
        Follow.objects.filter(**lookup).delete()
    return follow


def do_mark_read(user, debate, post_id):
    """Remember that ``user`` has read ``debate`` up to ``post_id`` (never backwards)."""
    if not user.is_authenticated or not post_id:
        return
    state, created = ReadState.objects.get_or_create(
        user=user, debate=debate, defaults={"last_read_post_id": post_id}
    )
    if not created and state.last_read_post_id < post_id:
        ReadState.objects.filter(pk=state.pk, last_read_post_id__lt=post_id).update(
            last_read_post_id=post_id
        )
        read_marks.forget(user.pk)  # an update() sends no signal
        reading.forget(user.pk)


def do_save_draft(user, debate, body):
    _deny(permissions.why_not_reply(user, debate))
    if not isinstance(body, str) or len(body) > MAX_DRAFT:
        raise CafeError(_("El borrador es demasiado largo."), code="too_long")
    if not body.strip():
        Draft.objects.filter(user=user, debate=debate).delete()
        return None
    draft, _created = Draft.objects.update_or_create(
        user=user, debate=debate, defaults={"body": body, "updated_at": timezone.now()}
    )
    return draft


# --- debates and posts ---------------------------------------------------------------


def _needs_approval(user, category):
    if not category.approve_first_posts or permissions.is_expert(user):
        return False
    return not Post.objects.filter(author=user, status=Post.Status.VISIBLE).exists()


def refresh_debate_stats(debate, before=None):
    """Recount what the listing shows from the visible posts (the source of truth).
    With ``before`` (a post id), returns the id of the visible post before it (0 if
    none), read by the same query."""
    visible = Post.objects.filter(debate=debate, status=Post.Status.VISIBLE)
    previous = {} if before is None else {"previous": Max("id", filter=Q(id__lt=before))}
    stats = visible.aggregate(
        count=Count("id"), last=Max("id"), last_at=Max("created_at"), **previous
    )
    recent = list(visible.order_by("-id").values_list("author_id", flat=True)[:50])
    participants = list(dict.fromkeys(pk for pk in recent if pk))[:PARTICIPANTS_SHOWN]
    Debate.objects.filter(pk=debate.pk).update(
        reply_count=max((stats["count"] or 0) - 1, 0),
        last_post_id=stats["last"] or 0,
        last_activity_at=stats["last_at"] or debate.created_at,
        participant_ids=participants,
    )
    return stats.get("previous") or 0


@transaction.atomic
def do_start_debate(user, category, *, title, body, page=None, session=None):
    """Open a debate with its first post. Runs in one transaction."""
    _deny(permissions.why_not_start_debate(user, category))
    title = check_title(title)
    source, html = check_body(body)
    check_rate_limit(user)
    debate = Debate.objects.create(
        category=category, title=title, author=user, page=page, session=session
    )
    _create_post(user, debate, source, html)
    debate.refresh_from_db()
    return debate


@transaction.atomic
def do_create_post(user, debate, body, *, quote_of=None):
    """Publish a reply (or hold it for approval). Runs in one transaction; the
    debate's group hears about it after commit."""
    # Lock the debate row only (``of``): PostgreSQL refuses to lock the nullable session join.
    debate = (
        Debate.objects.select_for_update(of=("self",))
        .select_related("category", "session")
        .get(pk=debate.pk)
    )
    source, html = check_reply(user, debate, body, quote_of)
    return _create_post(user, debate, source, html, quote_of=quote_of)


def _create_post(user, debate, source, html, quote_of=None):
    status = (
        Post.Status.PENDING if _needs_approval(user, debate.category) else Post.Status.VISIBLE
    )
    post = Post.objects.create(
        debate=debate, author=user, body_source=source, body_html=html, quote_of=quote_of,
        status=status,
    )
    Draft.objects.filter(user=user, debate=debate).delete()
    Follow.objects.get_or_create(user=user, debate=debate)
    if status == Post.Status.VISIBLE:
        # The debate's visible post before this one: a reader whose newest post is older
        # missed a live event (e.g. sent while Redis was down) and resumes to fetch it.
        previous = refresh_debate_stats(debate, before=post.pk)
        do_mark_read(user, debate, post.pk)
        notify_post(post, "post.created", prev=previous)
        notify_readers_later(post)
    else:
        notify_post(post, "post.pending")
    return post


def mark_changed(post):
    """Stamp ``post`` with its debate's next change number, inside the writing transaction.
    The debate row stays locked until commit, so numbers follow commit order and a client
    that knows number N catches up with every change after it (``resume`` with ``since``)."""
    Debate.objects.filter(pk=post.debate_id).update(change_seq=F("change_seq") + 1)
    seq = Debate.objects.filter(pk=post.debate_id).values_list("change_seq", flat=True).get()
    Post.objects.filter(pk=post.pk).update(change_seq=seq)
    post.change_seq = seq
    return seq


def check_edit(user, post, body):
    _deny(permissions.why_not_edit(user, post))
    return check_body(body)


@transaction.atomic
def do_edit_post(user, post, body):
    """Replace the text of ``post``, keeping the old one in its history."""
    post = (
        Post.objects.select_for_update(of=("self",))
        .select_related("debate__category")
        .get(pk=post.pk)
    )
    source, html = check_edit(user, post, body)
    if source == post.body_source:
        return post
    PostRevision.objects.create(
        post=post, body_source=post.body_source, body_html=post.body_html, edited_by=user
    )
    post.body_source, post.body_html, post.edited_at = source, html, timezone.now()
    post.save(update_fields=["body_source", "body_html", "edited_at"])
    mark_changed(post)
    if post.author_id != user.pk:
        _log(user, "edit", post=post, debate=post.debate)
    notify_post(post, "post.updated")
    return post


@transaction.atomic
def do_toggle_reaction(user, post, kind):
    """Add the reaction, or take it back when it is there. Returns (added, counts)."""
    if kind not in Reaction.Kind.values:
        raise CafeError(_("Esa reacción no existe."), code="bad_reaction")
    post = Post.objects.select_related("debate__category").get(pk=post.pk)
    _deny(permissions.why_not_react(user, post))
    deleted, _rows = Reaction.objects.filter(post=post, user=user, kind=kind).delete()
    if not deleted:
        Reaction.objects.create(post=post, user=user, kind=kind)
    mark_changed(post)
    counts = reaction_counts([post.pk]).get(post.pk, {})
    send_event_on_commit(
        debate_group(post.debate_id),
        {"type": "reaction.changed", "id": post.pk, "debate": post.debate_id, "counts": counts},
    )
    return not deleted, counts


def reaction_counts(post_ids):
    counts = {}
    rows = (
        Reaction.objects.filter(post_id__in=post_ids)
        .values("post_id", "kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        counts.setdefault(row["post_id"], {})[row["kind"]] = row["n"]
    return counts


@transaction.atomic
def do_report(user, post, reason):
    post = Post.objects.select_related("debate__category").get(pk=post.pk)
    _deny(permissions.why_not_report(user, post))
    reason = (reason or "").strip()
    if not reason:
        raise CafeError(_("Explica brevemente por qué denuncias este mensaje."), code="empty")
    if len(reason) > 1000:
        raise CafeError(_("El motivo admite como máximo 1000 caracteres."), code="too_long")
    if Report.objects.filter(post=post, reporter=user, resolved_at__isnull=True).exists():
        raise CafeError(_("Ya has denunciado este mensaje."), code="duplicate")
    report = Report.objects.create(post=post, reporter=user, reason=reason)
    send_event_on_commit(
        moderators_group(post.debate_id),
        {"type": "report.created", "id": report.pk, "post": post.pk, "debate": post.debate_id},
    )
    return report


# --- moderation ------------------------------------------------------------------------


def _log(moderator, action, *, debate=None, post=None, target_user=None, details=""):
    return ModerationAction.objects.create(
        moderator=moderator, action=action, debate=debate, post=post, target_user=target_user,
        details=details,
    )


def check_moderate(user):
    _deny(permissions.why_not_moderate(user))


@transaction.atomic
def do_hide_post(moderator, post, reason=""):
    check_moderate(moderator)
    post = Post.objects.select_for_update(of=("self",)).get(pk=post.pk)
    if post.status == Post.Status.HIDDEN:
        raise CafeError(_("Este mensaje ya está oculto."), code="already_hidden")
    post.status = Post.Status.HIDDEN
    post.save(update_fields=["status"])
    mark_changed(post)
    Report.objects.filter(post=post, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=moderator
    )
    refresh_debate_stats(post.debate)
    _log(moderator, "hide", post=post, debate=post.debate, target_user=post.author,
         details=reason)
    send_event_on_commit(
        debate_group(post.debate_id),
        {"type": "post.hidden", "id": post.pk, "debate": post.debate_id},
    )
    return post


@transaction.atomic
def do_restore_post(moderator, post):
    """Show a hidden post again, or approve a pending one."""
    check_moderate(moderator)
    post = Post.objects.select_for_update(of=("self",)).get(pk=post.pk)
    if post.status == Post.Status.VISIBLE:
        raise CafeError(_("Este mensaje ya está visible."), code="already_visible")
    was_pending = post.status == Post.Status.PENDING
    post.status = Post.Status.VISIBLE
    post.save(update_fields=["status"])
    mark_changed(post)
    refresh_debate_stats(post.debate)
    _log(moderator, "approve" if was_pending else "restore", post=post, debate=post.debate,
         target_user=post.author)
    # Readers never saw it: for them it is new (ids stay ordered for catch-up anyway).
    notify_post(post, "post.created" if was_pending else "post.updated")
    if was_pending:
        notify_readers_later(post)
    return post


@transaction.atomic
def do_resolve_report(moderator, report):
    check_moderate(moderator)
    Report.objects.filter(pk=report.pk, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=moderator
    )
    _log(moderator, "dismiss_report", post=report.post, debate=report.post.debate,
         details=report.reason)


@transaction.atomic
def do_set_locked(moderator, debate, locked):
    check_moderate(moderator)
    Debate.objects.filter(pk=debate.pk).update(is_locked=bool(locked))
    debate.is_locked = bool(locked)
    _log(moderator, "lock" if locked else "unlock", debate=debate)
    notify_debate(debate)
    return debate


@transaction.atomic
def do_set_pinned(moderator, debate, pinned):
    check_moderate(moderator)
    Debate.objects.filter(pk=debate.pk).update(is_pinned=bool(pinned))
    debate.is_pinned = bool(pinned)
    _log(moderator, "pin" if pinned else "unpin", debate=debate)
    notify_debate(debate)
    return debate


@transaction.atomic
def do_move_debate(moderator, debate, category):
    check_moderate(moderator)
    if not isinstance(category, Category):
        raise CafeError(_("Elige una categoría."))
    old = debate.category
    Debate.objects.filter(pk=debate.pk).update(category=category)
    debate.category = category
    # update() sends no signal: the search rows of the debate and its posts change
    # readers (search.signals refreshes them after commit).
    search_signals.schedule(debate, related=True)
    _log(moderator, "move", debate=debate, details=f"{old.slug} → {category.slug}")
    # Sockets re-check access: a move to a stricter category drops readers who lose it.
    notify_debate(debate, kind="debate.moved")
    return debate


def check_admin(user, model, action):
    """Café settings edited in the admin (categories, sessions) need the model permission
    the admin's own role grants; the admin views call this through the services."""
    if not user.has_perm(f"community.{action}_{model._meta.model_name}"):
        raise CafePermissionError(_("No tienes permiso para hacer esto."))


@transaction.atomic
def do_save_category(user, category):
    """Create or change a category (admin), logged like every moderation action."""
    check_admin(user, Category, "change" if category.pk else "add")
    created = category.pk is None
    original = category.get_translations(inclusive=True).filter(**ORIGINALS).first()
    if original is not None and original.pk != category.pk:
        # A translation carries the words; where and for whom stays the original's.
        for field in Category.SHARED_FIELDS:
            setattr(category, field, getattr(original, field))
    category.save()
    if original is None or original.pk == category.pk:
        shared = {field: getattr(category, field) for field in Category.SHARED_FIELDS}
        category.get_translations().update(**shared)
    transaction.on_commit(category_texts.forget)
    _log(user, "category.created" if created else "category.changed",
         details=f"{category.slug}: {category.name}")
    return category


@transaction.atomic
def do_lift_suspension(moderator, suspension):
    """End a suspension now. The row stays (ended), so the record keeps what happened."""
    check_moderate(moderator)
    if suspension.until <= timezone.now():
        raise CafeError(_("Esta suspensión ya terminó."))
    Suspension.objects.filter(pk=suspension.pk).update(until=timezone.now())
    reading.forget(suspension.user_id)  # an update() sends no signal
    _log(moderator, "lift_suspension", target_user=suspension.user,
         details=f"#{suspension.pk} {suspension.reason}")
    return suspension


@transaction.atomic
def do_suspend(moderator, user, *, until, reason):
    check_moderate(moderator)
    if until <= timezone.now():
        raise CafeError(_("La suspensión debe terminar en el futuro."))
    if not (reason or "").strip():
        raise CafeError(_("Indica el motivo de la suspensión."))
    if permissions.is_moderator(user):
        raise CafeError(_("No se puede suspender a una persona de la moderación."))
    suspension = Suspension.objects.create(
        user=user, until=until, reason=reason.strip(), created_by=moderator
    )
    _log(moderator, "suspend", target_user=user, details=f"{until.isoformat()} {reason}")
    return suspension


# --- relatoría ---------------------------------------------------------------------------


def relatoria_body(posts, base_url):
    """Quotes of the chosen posts, each linked to its place in the debate."""
    from django.utils.html import format_html

    parts = []
    for post in posts:
        parts.append(
            format_html(
                '<p><strong>{}</strong> (<a href="{}">{}</a>):</p><p><i>«{}»</i></p>',
                post.author.public_name if post.author else _("Cuenta eliminada"),
                base_url + post.get_absolute_url(),
                timezone.localtime(post.created_at).strftime("%Y-%m-%d %H:%M"),
                plain_text(post.body_html),
            )
        )
    return "".join(parts)


@transaction.atomic
def do_create_relatoria(moderator, debate, *, title, post_ids):
    """Turn chosen posts of a debate into a draft relatoría for the Cuadernos collection
    (the publishing capability's editorial workflow takes it from there)."""
    from allas_site.publications.services import do_create_relatoria_draft

    check_moderate(moderator)
    posts = list(
        Post.objects.public()
        .filter(debate=debate, pk__in=post_ids)
        .select_related("author")
        .order_by("id")
    )
    if not posts:
        raise CafeError(_("Elige al menos un mensaje para la relatoría."), code="no_posts")
    base_url = absolute_url("")
    page = do_create_relatoria_draft(
        moderator,
        title=title,
        body_html=relatoria_body(posts, base_url),
        source_url=base_url + debate.get_absolute_url(),
        topics=[debate.category.topic] if debate.category.topic_id else (),
    )
    _log(moderator, "relatoria", debate=debate, details=f"page {page.pk}: {page.title}")
    return page


# --- Café sessions ---------------------------------------------------------------------


def check_session(session):
    if session.closes_at <= session.opens_at:
        raise CafeError(_("La sesión debe cerrar después de abrir."), code="bad_dates")


@transaction.atomic
def do_save_session(editor, session):
    """Save a Café session and keep its debate (created with it) in step."""
    check_admin(editor, CafeSession, "change" if session.pk else "add")
    check_session(session)
    session.save()
    debate = Debate.objects.filter(session=session).first()
    if debate is None:
        debate = Debate.objects.create(
            category=session.category,
            title=session.title,
            author=session.guest or editor,
            session=session,
            page=session.cuaderno,
            created_at=session.opens_at,
            last_activity_at=session.opens_at,
        )
    else:
        Debate.objects.filter(pk=debate.pk).update(
            title=session.title, category=session.category, page=session.cuaderno
        )
    return session


# --- events and notifications ------------------------------------------------------------


def notify_post(post, kind, prev=None):
    """``post.created`` / ``post.updated`` to readers (visible posts only);
    ``post.pending`` to the moderators of the debate. ``prev``: the id of the visible
    post before a new one, so readers can tell a gap from a lost event."""
    group = (
        debate_group(post.debate_id)
        if post.status == Post.Status.VISIBLE
        else moderators_group(post.debate_id)
    )
    event = {"type": kind, "id": post.pk, "debate": post.debate_id, "post": post_payload(post)}
    if prev is not None:
        event["prev"] = prev
    send_event_on_commit(group, event)


def notify_debate(debate, kind="debate.updated"):
    send_event_on_commit(
        debate_group(debate.pk),
        {
            "type": kind,
            "id": debate.pk,
            "locked": debate.is_locked,
            "pinned": debate.is_pinned,
            "category": debate.category.slug,
        },
    )


def mentioned_users(post):
    from django.contrib.auth import get_user_model

    handles = {match.lower() for match in MENTION.findall(plain_text(post.body_html))}
    if not handles:
        return []
    return list(
        get_user_model()
        .objects.filter(cafe_settings__handle__in=handles, is_active=True)
        .exclude(pk=post.author_id)[:20]
    )


def notify_readers_later(post):
    """Queue the mentions and follower notifications of ``post`` for after commit.
    Registered after ``notify_post``, so the post reaches the debate's sockets first and
    the posting request never waits for its followers."""
    from community import tasks

    post_id = post.pk
    transaction.on_commit(lambda: tasks.notify_readers.enqueue(post_id), robust=True)


def notify_readers_of_post(post):
    """Mentions and replies: in-app notifications plus e-mail as each member chose.
    Nobody hears about a post in a debate they may not read. Returns how many people
    were notified. Runs in the ``notify_readers`` task."""
    from django.contrib.auth import get_user_model

    debate = post.debate
    author_name = post.author.public_name if post.author else _("Alguien")
    recipients = []  # (user, kind, title)
    for user in mentioned_users(post):
        if permissions.can_read_debate(user, debate):
            recipients.append((
                user, "mention",
                _("%(author)s te mencionó en «%(debate)s»")
                % {"author": author_name, "debate": debate.title},
            ))
    follower_ids = set(
        Follow.objects.filter(debate=debate).values_list("user_id", flat=True)
    ) | set(Follow.objects.filter(category_id=debate.category_id).values_list("user_id", flat=True))
    follower_ids -= {user.pk for user, _kind, _title in recipients} | {post.author_id}
    for user in get_user_model().objects.filter(pk__in=follower_ids, is_active=True):
        if permissions.can_read_debate(user, debate) and not permissions.is_suspended(user):
            recipients.append((
                user, "reply",
                _("%(author)s respondió en «%(debate)s»")
                % {"author": author_name, "debate": debate.title},
            ))
    # Everyone's e-mail choice in one query, not one per recipient.
    modes = dict(
        MemberSettings.objects.filter(user__in=[user.pk for user, _kind, _title in recipients])
        .values_list("user_id", "email_mode")
    )
    for user, kind, title in recipients:
        _notify_member(
            user, post, kind, title, modes.get(user.pk, MemberSettings.EmailMode.INSTANT)
        )
    return len(recipients)


def _notify_member(user, post, kind, title, mode):
    from community import tasks

    do_notify(
        user,
        kind=f"cafe-{kind}",
        title=title,
        url=post.get_absolute_url(),
        body=plain_text(post.body_html)[:280],
    )
    if mode == MemberSettings.EmailMode.DIGEST:
        DigestItem.objects.create(user=user, post=post, kind=kind)
    elif mode == MemberSettings.EmailMode.INSTANT:
        transaction.on_commit(
            lambda: tasks.send_post_email.enqueue(user.pk, post.pk, kind), robust=True
        )
