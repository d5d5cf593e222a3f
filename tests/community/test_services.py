"""The Café's writes: validation, permission, side effects, events after commit."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from allas_site.notifications.models import Notification
from community import services
from community.models import (
    CafeSession,
    DigestItem,
    Draft,
    Follow,
    ModerationAction,
    Post,
    PostRevision,
    ReadState,
    Report,
)
from community.tasks import send_digests
from tests import factories
from tests.community.factories import CategoryFactory

pytestmark = pytest.mark.django_db


def test_starting_a_debate_writes_the_first_post_and_follows(public_category, learner):
    debate = services.do_start_debate(learner, public_category, title=" Título ", body="Hola")
    assert debate.title == "Título"
    post = debate.posts.get()
    assert post.body_html == "<p>Hola</p>" and post.status == "visible"
    assert debate.last_post_id == post.pk and debate.reply_count == 0
    assert Follow.objects.filter(user=learner, debate=debate).exists()
    assert debate.participant_ids == [learner.pk]


def test_replies_update_counts_and_participants(public_category, make_debate, learner):
    debate = make_debate(public_category)
    reply = services.do_create_post(learner, debate, "Respuesta")
    debate.refresh_from_db()
    assert debate.reply_count == 1 and debate.last_post_id == reply.pk
    assert debate.participant_ids[0] == learner.pk
    assert ReadState.objects.get(user=learner, debate=debate).last_read_post_id == reply.pk


@pytest.mark.parametrize(
    ("body", "code"),
    [("", "empty"), ("   ", "empty"), ("<script></script>", "empty"), ("x" * 10_001, "too_long")],
)
def test_empty_or_oversized_posts_are_refused(public_category, make_debate, learner, body, code):
    debate = make_debate(public_category)
    with pytest.raises(services.CafeError) as error:
        services.do_create_post(learner, debate, body)
    assert error.value.code == code
    assert debate.posts.count() == 1


def test_the_length_limit_is_a_setting(settings, public_category, make_debate, learner):
    settings.CAFE_POST_MAX_CHARS = 20
    debate = make_debate(public_category)
    with pytest.raises(services.CafeError, match="máximo es 20"):
        services.do_create_post(learner, debate, "x" * 21)


def test_flooding_is_rate_limited(settings, public_category, make_debate, learner):
    settings.CAFE_POST_RATE_LIMIT = (3, 60)
    debate = make_debate(public_category)
    for n in range(3):
        services.do_create_post(learner, debate, f"Mensaje {n}")
    with pytest.raises(services.CafeError) as error:
        services.do_create_post(learner, debate, "Uno más")
    assert error.value.code == "rate_limited" and error.value.status == 429
    assert debate.posts.count() == 4


def test_locked_debates_take_no_replies(public_category, make_debate, learner, moderator):
    debate = make_debate(public_category)
    services.do_set_locked(moderator, debate, True)
    with pytest.raises(services.CafePermissionError, match="cerrado"):
        services.do_create_post(learner, debate, "¿Sigo?")
    assert ModerationAction.objects.filter(action="lock", debate=debate).exists()


def test_first_posts_of_new_members_wait_for_approval(make_debate, learner, moderator):
    category = CategoryFactory(approve_first_posts=True)
    debate = make_debate(category)
    post = services.do_create_post(learner, debate, "Mi primer mensaje")
    assert post.status == "pending"
    debate.refresh_from_db()
    assert debate.reply_count == 0
    services.do_restore_post(moderator, post)
    post.refresh_from_db()
    assert post.status == "visible"
    assert services.do_create_post(learner, debate, "El segundo").status == "visible"
    assert ModerationAction.objects.filter(action="approve", post=post).exists()


def test_experts_never_wait_for_approval(make_debate, expert):
    category = CategoryFactory(approve_first_posts=True)
    debate = make_debate(category)
    assert services.do_create_post(expert, debate, "Hola").status == "visible"


def test_editing_keeps_history_and_marks_edited(public_category, make_debate, learner):
    debate = make_debate(public_category)
    post = services.do_create_post(learner, debate, "Primera versión")
    services.do_edit_post(learner, post, "Segunda versión")
    post.refresh_from_db()
    assert post.edited_at is not None and "Segunda" in post.body_html
    assert PostRevision.objects.get(post=post).body_source == "Primera versión"


def test_nobody_edits_someone_elses_post_but_moderators(public_category, make_debate, learner,
                                                         expert, moderator):
    debate = make_debate(public_category)
    post = services.do_create_post(learner, debate, "Mío")
    with pytest.raises(services.CafePermissionError):
        services.do_edit_post(expert, post, "Tuyo")
    services.do_edit_post(moderator, post, "Corregido por moderación")
    assert ModerationAction.objects.filter(action="edit", post=post).exists()


def test_reactions_toggle(public_category, make_debate, learner):
    debate = make_debate(public_category)
    post = debate.posts.get()
    assert services.do_toggle_reaction(learner, post, "like") == (True, {"like": 1})
    assert services.do_toggle_reaction(learner, post, "like") == (False, {})
    with pytest.raises(services.CafeError):
        services.do_toggle_reaction(learner, post, "angry")


def test_reporting_needs_a_reason_and_only_once(public_category, make_debate, learner):
    post = make_debate(public_category).posts.get()
    with pytest.raises(services.CafeError):
        services.do_report(learner, post, "  ")
    services.do_report(learner, post, "Ofensivo")
    with pytest.raises(services.CafeError, match="Ya has denunciado"):
        services.do_report(learner, post, "Otra vez")
    assert Report.objects.count() == 1


def test_hiding_resolves_reports_and_is_logged(public_category, make_debate, learner, moderator):
    debate = make_debate(public_category)
    post = services.do_create_post(learner, debate, "Algo feo")
    services.do_report(factories.learner(), post, "Insulta")
    services.do_hide_post(moderator, post, "insultos")
    post.refresh_from_db()
    assert post.status == "hidden"
    assert Report.objects.get().resolved_by == moderator
    debate.refresh_from_db()
    assert debate.reply_count == 0
    with pytest.raises(services.CafeError):
        services.do_hide_post(moderator, post)
    with pytest.raises(services.CafePermissionError):
        services.do_hide_post(learner, post)
    with pytest.raises(services.CafePermissionError):
        services.do_toggle_reaction(learner, post, "like")


def test_suspended_members_cannot_post_until_it_ends(public_category, make_debate, moderator):
    member = factories.learner()
    debate = make_debate(public_category)
    services.do_suspend(moderator, member, until=timezone.now() + timedelta(days=1), reason="spam")
    with pytest.raises(services.CafePermissionError, match="suspendida"):
        services.do_create_post(member, debate, "¿Puedo?")
    with pytest.raises(services.CafeError):
        services.do_suspend(moderator, member, until=timezone.now() - timedelta(days=1), reason="x")
    assert ModerationAction.objects.filter(action="suspend", target_user=member).exists()


def test_moving_a_debate(public_category, experts_category, make_debate, moderator):
    debate = make_debate(public_category)
    services.do_move_debate(moderator, debate, experts_category)
    debate.refresh_from_db()
    assert debate.category == experts_category


def test_drafts_are_saved_and_cleared_on_posting(public_category, make_debate, learner):
    debate = make_debate(public_category)
    services.do_save_draft(learner, debate, "A medio escribir")
    assert Draft.objects.get(user=learner, debate=debate).body == "A medio escribir"
    services.do_create_post(learner, debate, "Terminado")
    assert not Draft.objects.filter(user=learner, debate=debate).exists()


def test_sessions_open_and_close_themselves(public_category, learner, editor):
    now = timezone.now()
    session = CafeSession(title="Café", category=public_category, opens_at=now + timedelta(hours=1),
                          closes_at=now + timedelta(hours=2))
    services.do_save_session(editor, session)
    debate = session.debate
    with pytest.raises(services.CafePermissionError, match="todavía no"):
        services.do_create_post(learner, debate, "¿Ya?")
    CafeSession.objects.filter(pk=session.pk).update(opens_at=now - timedelta(hours=1))
    debate.refresh_from_db()
    services.do_create_post(learner, debate, "¡Ya!")
    CafeSession.objects.filter(pk=session.pk).update(closes_at=now - timedelta(minutes=1))
    debate.refresh_from_db()
    with pytest.raises(services.CafePermissionError, match="terminado"):
        services.do_create_post(learner, debate, "¿Tarde?")
    bad = CafeSession(title="Mal", category=public_category, opens_at=now, closes_at=now)
    with pytest.raises(services.CafeError):
        services.do_save_session(editor, bad)


def test_mentions_and_replies_notify_with_email_at_once(public_category, make_debate, expert,
                                                        django_capture_on_commit_callbacks):
    ana = factories.learner(display_name="Ana Pérez")
    handle = services.member_settings(ana).handle
    assert handle == "ana-perez"
    debate = make_debate(public_category, author=expert)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.do_create_post(factories.learner(), debate, f"Hola @{handle}, ¿qué opinas?")
    kinds = sorted(Notification.objects.values_list("kind", "recipient_id"))
    assert kinds == sorted([("cafe-mention", ana.pk), ("cafe-reply", expert.pk)])
    assert sorted(message.to[0] for message in mail.outbox) == sorted([ana.email, expert.email])


def test_digest_members_get_one_daily_email(public_category, make_debate, expert,
                                            django_capture_on_commit_callbacks):
    services.do_set_email_mode(expert, "digest")
    debate = make_debate(public_category, author=expert)
    mail.outbox.clear()
    # Run the after-commit e-mails: instant ones go out now, the digest member's do not.
    with django_capture_on_commit_callbacks(execute=True):
        services.do_create_post(factories.learner(), debate, "Uno")
        services.do_create_post(factories.learner(), debate, "Dos")
    assert all(expert.email not in message.to for message in mail.outbox)
    assert DigestItem.objects.filter(user=expert).count() == 2
    mail.outbox.clear()
    assert send_digests.call() == 1
    assert len(mail.outbox) == 1 and "Uno" in mail.outbox[0].body and "Dos" in mail.outbox[0].body
    assert send_digests.call() == 0


def test_nobody_is_notified_of_a_post_they_may_not_read(experts_category, make_debate, expert,
                                                         django_capture_on_commit_callbacks):
    learner = factories.learner(display_name="Lea Lectora")
    handle = services.member_settings(learner).handle
    Follow.objects.create(user=learner, category=experts_category)
    debate = make_debate(experts_category, author=expert)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.do_create_post(factories.expert(), debate, f"Secreto para @{handle}")
    assert not Notification.objects.filter(recipient=learner).exists()
    assert all(learner.email not in message.to for message in mail.outbox)


def test_notifications_run_in_a_task_after_commit_after_the_post_is_broadcast(
    public_category, make_debate, expert, django_capture_on_commit_callbacks, monkeypatch
):
    from types import SimpleNamespace

    from allas_site import realtime
    from community import tasks

    follower = factories.learner()
    Follow.objects.create(user=follower, category=public_category)
    debate = make_debate(public_category, author=expert)
    Notification.objects.all().delete()
    order = []

    class Layer:
        async def group_send(self, group, message):
            order.append(("broadcast", message["kind"]))

    monkeypatch.setattr(realtime, "get_channel_layer", Layer)
    real_task = tasks.notify_readers

    def enqueue(post_id):
        order.append(("task", post_id))
        return real_task.enqueue(post_id)

    monkeypatch.setattr(tasks, "notify_readers", SimpleNamespace(enqueue=enqueue))
    with django_capture_on_commit_callbacks() as callbacks:
        post = services.do_create_post(factories.learner(), debate, "Respuesta")
    # Nothing for the followers inside the posting transaction...
    assert not Notification.objects.exists() and order == []
    for callback in callbacks:
        callback()
    # ...after commit: the post reaches the sockets first, then the task notifies.
    assert order[:2] == [("broadcast", "post.created"), ("task", post.pk)]
    assert set(Notification.objects.values_list("recipient_id", flat=True)) == {
        follower.pk, expert.pk
    }


def test_the_notification_task_skips_a_post_hidden_in_the_meantime(
    public_category, make_debate, expert, moderator
):
    from community.tasks import notify_readers

    debate = make_debate(public_category, author=expert)
    post = services.do_create_post(factories.learner(), debate, "Pronto oculto")
    services.do_hide_post(moderator, post, "spam")
    Notification.objects.all().delete()
    assert notify_readers.call(post.pk) == 0
    assert not Notification.objects.exists()


def test_reading_never_goes_backwards(public_category, make_debate, learner):
    debate = make_debate(public_category)
    services.do_mark_read(learner, debate, 10)
    services.do_mark_read(learner, debate, 5)
    assert ReadState.objects.get(user=learner, debate=debate).last_read_post_id == 10


def test_a_failed_write_leaves_nothing_behind(public_category, learner, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "refresh_debate_stats", explode)
    with pytest.raises(RuntimeError):
        services.do_start_debate(learner, public_category, title="T", body="B")
    assert not Post.objects.exists()


def test_mentions_link_to_the_member_profile(public_category, make_debate, expert):
    from django.urls import reverse

    ana = factories.learner(display_name="Ana Pérez")
    handle = services.member_settings(ana).handle
    gone = factories.learner(display_name="Ida Ausente")
    gone_handle = services.member_settings(gone).handle
    gone.is_active = False
    gone.save()
    debate = make_debate(public_category, author=expert)
    post = services.do_create_post(factories.learner(), debate,
                                   f"Hola @{handle.upper()} y @{gone_handle} y @nadie")
    url = reverse("accounts:person", args=[ana.pk])
    assert url == f"/cuentas/personas/{ana.pk}/"
    assert f'<a href="{url}" rel="nofollow ugc noopener">@{handle.upper()}</a>' in post.body_html
    assert post.body_html.count("<a ") == 1  # inactive and unknown handles stay text
    # Edits keep the links (the same check cleans every write).
    post = services.do_edit_post(post.author, post, f"Corrijo: @{handle}")
    assert f'href="{url}"' in post.body_html


def test_mention_links_ignore_the_writers_language(public_category, make_debate, expert):
    from django.utils import translation

    ana = factories.learner(display_name="Ana Pérez")
    handle = services.member_settings(ana).handle
    debate = make_debate(public_category, author=expert)
    with translation.override("en"):
        post = services.do_create_post(factories.learner(), debate, f"Hi @{handle}")
    assert f'href="/cuentas/personas/{ana.pk}/"' in post.body_html
