"""Café background work: notifying mentioned members and followers of a new post, and
e-mail (one message per mention/reply, or a daily digest)."""

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from allas_site.core.navigation import absolute_url
from community import permissions, services
from community.models import DigestItem, Post
from community.sanitizer import plain_text


@task()
def notify_readers(post_id):
    """Notify the people mentioned in a visible post and the followers of its debate and
    category, in one transaction (their e-mails leave after it commits). Queued after
    commit by ``services.notify_readers_later``; returns how many were notified."""
    post = Post.objects.select_related("debate__category", "author").filter(pk=post_id).first()
    # Read again when the task runs: the post may have been hidden since.
    if post is None or post.status != Post.Status.VISIBLE:
        return 0
    with transaction.atomic():
        return services.notify_readers_of_post(post)


@task()
def send_post_email(user_id, post_id, kind):
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    post = Post.objects.select_related("debate__category", "author").filter(pk=post_id).first()
    # Checked again when sending: the post may have been hidden or access lost since.
    if user is None or post is None or not permissions.can_read_post(user, post):
        return False
    if post.status != Post.Status.VISIBLE:
        return False
    with translation.override(user.preferred_language):
        context = {
            "user": user,
            "post": post,
            "kind": kind,
            "text": plain_text(post.body_html),
            "url": absolute_url(post.get_absolute_url()),
        }
        subject = (
            _("Te mencionaron en «%(debate)s»") if kind == "mention"
            else _("Nueva respuesta en «%(debate)s»")
        ) % {"debate": post.debate.title}
        body = render_to_string("cafe/email/post.txt", context)
    send_mail(subject, body, None, [user.email])
    return True


def send_digest_to(user, items):
    readable = [
        item for item in items
        if item.post.status == Post.Status.VISIBLE and permissions.can_read_post(user, item.post)
    ]
    if readable:
        with translation.override(user.preferred_language):
            context = {
                "user": user,
                "items": [
                    {
                        "kind": item.kind,
                        "post": item.post,
                        "text": plain_text(item.post.body_html)[:300],
                        "url": absolute_url(item.post.get_absolute_url()),
                    }
                    for item in readable
                ],
            }
            subject = _("Tu resumen diario del Café con AL-LAs")
            body = render_to_string("cafe/email/digest.txt", context)
        send_mail(subject, body, None, [user.email])
    DigestItem.objects.filter(pk__in=[item.pk for item in items]).update(sent_at=timezone.now())
    return bool(readable)


@task()
def send_digests():
    """One e-mail per member with pending digest items; returns how many were sent."""
    sent = 0
    pending = (
        DigestItem.objects.filter(sent_at__isnull=True)
        .select_related("user", "post__debate__category", "post__author")
        .order_by("user_id", "id")
    )
    by_user = {}
    for item in pending:
        by_user.setdefault(item.user, []).append(item)
    for user, items in by_user.items():
        with transaction.atomic():
            sent += send_digest_to(user, items)
    return sent
