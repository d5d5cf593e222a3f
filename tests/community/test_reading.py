"""The member's state on a debate page (community.reading), one statement on both backends."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from community import reading, services
from community.models import Post, Suspension
from tests import factories
from tests.community.factories import CategoryFactory


def test_anonymous_and_missing_debates_read_as_nobody(public_category, make_debate, learner):
    debate = make_debate(public_category)
    assert reading.reader_state(AnonymousUser(), debate.pk) is reading.NOBODY
    assert reading.reader_state(learner, debate.pk + 1000) is reading.NOBODY


def test_a_member_who_never_came_has_no_marks(public_category, make_debate, learner):
    debate = make_debate(public_category)
    assert reading.reader_state(learner, debate.pk) == reading.NOBODY


def test_every_part_of_the_state_is_read(make_debate, learner, moderator):
    category = CategoryFactory(slug="con-aprobacion", read_access="everyone",
                               post_access="members", approve_first_posts=True)
    debate = make_debate(category)
    opening = debate.posts.get()
    services.do_mark_read(learner, debate, opening.pk)
    services.do_follow(learner, debate=debate)
    services.do_toggle_reaction(learner, opening, "thanks")
    pending = services.do_create_post(learner, debate, "Primera intervención")
    assert pending.status == Post.Status.PENDING
    services.do_save_draft(learner, debate, "Mi borrador <b>a medias</b>")  # posting cleared it
    services.do_suspend(moderator, learner, until=timezone.now() + timedelta(days=1),
                        reason="pausa")

    state = reading.reader_state(learner, debate.pk)
    assert state == reading.ReaderState(
        last_read=opening.pk, draft="Mi borrador <b>a medias</b>", following=True,
        has_pending=True, suspended=True, has_reactions=True,
    )


def test_state_is_the_readers_own_and_this_debates_only(public_category, make_debate, learner):
    debate, other_debate = make_debate(public_category), make_debate(public_category)
    other = factories.learner()
    services.do_mark_read(other, debate, debate.posts.get().pk)
    services.do_save_draft(other, debate, "ajeno")
    services.do_follow(other, debate=debate)
    services.do_toggle_reaction(other, debate.posts.get(), "like")
    services.do_follow(learner, debate=other_debate)
    services.do_toggle_reaction(learner, other_debate.posts.get(), "like")
    services.do_mark_read(learner, other_debate, other_debate.posts.get().pk)

    assert reading.reader_state(learner, debate.pk) == reading.NOBODY


@pytest.mark.parametrize("days, suspended", [(-1, False), (1, True)])
def test_only_a_running_suspension_counts(public_category, make_debate, learner, days, suspended):
    debate = make_debate(public_category)
    Suspension.objects.create(user=learner, until=timezone.now() + timedelta(days=days),
                              reason="motivo")
    assert reading.reader_state(learner, debate.pk).suspended is suspended


def test_a_read_mark_at_zero_still_means_the_debate_was_opened(public_category, make_debate,
                                                               learner):
    from community.models import ReadState

    debate = make_debate(public_category)
    ReadState.objects.create(user=learner, debate=debate, last_read_post_id=0)
    assert reading.reader_state(learner, debate.pk).last_read == 0


# --- kept per member ------------------------------------------------------------------


def fresh(user):
    """The member as a new request sees them (nothing read yet in this request)."""
    user._kept_read = {}
    return user


def test_a_kept_state_costs_no_query(public_category, make_debate, learner,
                                     django_assert_num_queries):
    debate = make_debate(public_category)
    reading.reader_state(fresh(learner), debate.pk)
    with django_assert_num_queries(0):
        reading.reader_state(fresh(learner), debate.pk)


def test_every_write_of_the_member_retires_the_kept_state(make_debate, learner, moderator):
    category = CategoryFactory(slug="aprobar", read_access="everyone", post_access="members",
                               approve_first_posts=True)
    debate = make_debate(category)
    opening = debate.posts.get()

    def state():
        return reading.reader_state(fresh(learner), debate.pk)

    assert state() == reading.NOBODY
    services.do_mark_read(learner, debate, opening.pk)
    assert state().last_read == opening.pk
    services.do_follow(learner, debate=debate)
    assert state().following
    services.do_toggle_reaction(learner, opening, "like")
    assert state().has_reactions
    services.do_save_draft(learner, debate, "borrador")
    assert state().draft == "borrador"
    pending = services.do_create_post(learner, debate, "Mi primer mensaje")
    assert state().has_pending and state().draft is None
    services.do_restore_post(moderator, pending)  # approved by the moderation
    assert not state().has_pending
    second = services.do_create_post(moderator, debate, "Otro")  # not the member's write
    assert state().last_read == opening.pk
    services.do_mark_read(learner, debate, second.pk)  # moved with update()
    assert state().last_read == second.pk
    suspension = services.do_suspend(moderator, learner, reason="pausa",
                                     until=timezone.now() + timedelta(days=1))
    assert state().suspended
    services.do_lift_suspension(moderator, suspension)  # ended with update()
    assert not state().suspended


def test_a_suspension_ends_on_its_date_without_a_write(public_category, make_debate, learner,
                                                      moderator, monkeypatch):
    debate = make_debate(public_category)
    services.do_suspend(moderator, learner, reason="pausa",
                        until=timezone.now() + timedelta(hours=1))
    assert reading.reader_state(fresh(learner), debate.pk).suspended
    later = timezone.now() + timedelta(hours=2)
    monkeypatch.setattr(reading.timezone, "now", lambda: later)
    assert not reading.reader_state(fresh(learner), debate.pk).suspended
