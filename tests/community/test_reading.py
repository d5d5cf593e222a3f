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
