"""Participation through the services: validation, one response per person, drafts,
edits until the close, deletion, moderation, the return and its notifications."""

import pytest
from django.core import mail

from allas_site.notifications.models import Notification
from participation.consultations import services
from participation.consultations.models import (
    Answer,
    Participant,
    Response,
    ResponseStatus,
    Tally,
    TextStatus,
)
from tests import factories as people
from tests.participation.consultations import factories

pytestmark = pytest.mark.django_db


def submit(user, page, answers=None, **kwargs):
    kwargs.setdefault("sector", "academia")
    kwargs.setdefault("city", "Quito")
    return services.do_save_response(
        user, page, factories.complete_answers(page) if answers is None else answers,
        submit=True, **kwargs)


def test_first_participation_states_sector_and_city_and_is_reused(consultation, learner,
                                                                  consultations_index):
    response = submit(learner, consultation)
    assert response.is_submitted and response.sector == "academia" and response.city == "Quito"
    assert Participant.objects.get(user=learner).sector == "academia"
    other = factories.consultation(consultations_index)
    again = services.do_save_response(learner, other, factories.complete_answers(other),
                                      submit=True)
    assert again.sector == "academia"


def test_without_a_participant_profile_the_answer_is_refused(consultation, learner):
    with pytest.raises(services.ConsultationError) as error:
        services.do_save_response(learner, consultation, factories.complete_answers(consultation),
                                  submit=True)
    assert set(error.value.errors) >= {"sector", "city"}
    assert not Response.objects.exists()


@pytest.mark.parametrize("sector,city", [("pirates", "Quito"), ("academia", ""),
                                         ("academia", "x" * 121), (None, "Quito")])
def test_bad_participant_data_changes_nothing(consultation, learner, sector, city):
    with pytest.raises(services.ConsultationError):
        submit(learner, consultation, sector=sector, city=city)
    assert not Response.objects.exists() and not Participant.objects.exists()


def test_one_response_per_person_edits_replace_the_counted_answers(consultation, learner):
    submit(learner, consultation)
    submit(learner, consultation, factories.complete_answers(consultation, choice=2, scale=1))
    assert Response.objects.filter(user=learner).count() == 1
    q = factories.questions(consultation)
    options = list(Answer.objects.filter(question_id=q["single_choice"].id)
                   .values_list("option", flat=True))
    assert options == [q["single_choice"].option_ids[2]]
    assert Tally.objects.get(pk=consultation.pk).change_seq == 2


def test_draft_is_saved_without_required_answers_and_not_counted(consultation, learner):
    response = services.do_save_response(learner, consultation, {}, submit=False,
                                         sector="academia", city="Quito")
    assert response.status == ResponseStatus.DRAFT
    assert not Answer.objects.exists()
    with pytest.raises(services.ConsultationError) as error:
        services.do_save_response(learner, consultation, {}, submit=True)
    q = factories.questions(consultation)
    assert q["single_choice"].id in error.value.errors and q["scale"].id in error.value.errors
    assert Response.objects.get().status == ResponseStatus.DRAFT


def test_a_submitted_response_cannot_go_back_to_draft(consultation, learner):
    submit(learner, consultation)
    with pytest.raises(services.ConsultationError) as error:
        services.do_save_response(learner, consultation, {}, submit=False)
    assert error.value.code == "already_submitted"
    assert Response.objects.get().is_submitted


@pytest.mark.parametrize("kind,value", [
    ("single_choice", "not-an-option"),
    ("single_choice", ["list"]),
    ("multiple_choice", ["nope"]),
    ("multiple_choice", "string"),
    ("ranking", ["a", "b"]),
    ("ranking", {"x": "1"}),
    ("scale", 6),
    ("scale", "3.5"),
    ("scale", True),
    ("short_text", "x" * 201),
    ("long_text", "x" * 3001),
    ("long_text", 12),
])
def test_wrong_answers_are_refused_with_a_message_and_change_nothing(consultation, learner,
                                                                     kind, value):
    submit(learner, consultation)
    before = list(Answer.objects.values_list("option", "position"))
    answers = factories.complete_answers(consultation)
    answers[factories.questions(consultation)[kind].id] = value
    with pytest.raises(services.ConsultationError) as error:
        submit(learner, consultation, answers)
    assert error.value.errors
    assert list(Answer.objects.values_list("option", "position")) == before


def test_unknown_question_is_refused(consultation, learner):
    answers = {**factories.complete_answers(consultation), "made-up": "x"}
    with pytest.raises(services.ConsultationError) as error:
        submit(learner, consultation, answers)
    assert "__all__" in error.value.errors
    assert not Response.objects.exists()


def test_every_kind_is_stored_as_counted_rows(consultation, learner):
    q = factories.questions(consultation)
    answers = factories.complete_answers(consultation)
    ranking = q["ranking"].option_ids
    answers.update({
        q["multiple_choice"].id: q["multiple_choice"].option_ids[:2],
        q["ranking"].id: {ranking[0]: "3", ranking[1]: "1", ranking[2]: "2"},
        q["short_text"].id: "Mercociudades <script>alert(1)</script>",
    })
    response = submit(learner, consultation, answers)
    assert response.answers[q["ranking"].id] == [ranking[1], ranking[2], ranking[0]]
    text = Answer.objects.get(question_id=q["short_text"].id)
    assert text.text_status == TextStatus.PENDING and "<script" not in text.text_html
    assert Answer.objects.filter(question_id=q["multiple_choice"].id).count() == 2
    assert Answer.objects.get(question_id=q["ranking"].id, option=ranking[1]).position == 1


def test_closed_and_not_yet_open_consultations_refuse_answers(consultations_index, learner):
    for state, code in (("closed", "closed"), ("upcoming", "not_open")):
        page = factories.consultation(consultations_index, state=state)
        with pytest.raises(services.ConsultationError) as error:
            submit(learner, page)
        assert error.value.code == code
    assert not Response.objects.exists()


def test_anonymous_cannot_answer(consultation):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(services.ConsultationError) as error:
        submit(AnonymousUser(), consultation)
    assert error.value.code == "login"


def test_deleting_my_response_removes_its_answers(consultation, learner):
    submit(learner, consultation)
    services.do_delete_response(learner, consultation)
    assert not Response.objects.exists() and not Answer.objects.exists()
    with pytest.raises(services.ConsultationError):
        services.do_delete_response(learner, consultation)


def test_an_unchanged_text_keeps_its_moderation_on_edit(consultation, learner, editor):
    q = factories.questions(consultation)
    answers = {**factories.complete_answers(consultation), q["long_text"].id: "Más barrios"}
    submit(learner, consultation, answers)
    answer = Answer.objects.get(question_id=q["long_text"].id)
    services.do_moderate_texts(editor, consultation, [answer.pk], "approve")
    answers[q["scale"].id] = 2
    submit(learner, consultation, answers)
    assert Answer.objects.get(question_id=q["long_text"].id).text_status == TextStatus.APPROVED
    answers[q["long_text"].id] = "Otra idea"
    submit(learner, consultation, answers)
    assert Answer.objects.get(question_id=q["long_text"].id).text_status == TextStatus.PENDING


def test_only_the_consultations_editors_moderate(consultations_index, learner, editor):
    medellin = factories.partner("medellin")
    lyon = factories.partner("lyon")
    page = factories.consultation(consultations_index, partner=medellin)
    q = factories.questions(page)
    submit(learner, page, {**factories.complete_answers(page), q["short_text"].id: "Hola"})
    answer = Answer.objects.get(question_id=q["short_text"].id)
    city_editor = people.UserFactory()
    other_city_editor = people.UserFactory()
    medellin.people.add(city_editor)
    medellin.save()  # a ParentalManyToManyField is written with its partner
    lyon.people.add(other_city_editor)
    lyon.save()
    _grant_edit(city_editor, other_city_editor)
    for outsider in (learner, other_city_editor):
        with pytest.raises(services.ConsultationError) as error:
            services.do_moderate_texts(outsider, page, [answer.pk], "approve")
        assert error.value.status == 403
    with pytest.raises(services.ConsultationError):
        services.do_moderate_texts(city_editor, page, [answer.pk], "publish-everything")
    assert services.do_moderate_texts(city_editor, page, [answer.pk], "approve") == 1
    assert services.do_moderate_texts(editor, page, [answer.pk], "reject") == 1


def _grant_edit(*users):
    """Wagtail's edit permission on every page, through a group (as city editors get it)."""
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission, Page

    group = Group.objects.create(name="City editors")
    root = Page.objects.get(depth=1)
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.create(
            group=group, page=root, permission=Permission.objects.get(codename=codename))
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for user in users:
        user.groups.add(group)


def test_publishing_the_return_notifies_every_participant(closed_consultation, learner, expert,
                                                         editor, run_on_commit):
    from datetime import timedelta

    page = closed_consultation
    during = page.opens_at + timedelta(days=1)
    for person in (learner, expert):
        submit(person, page, now=during)
    with pytest.raises(services.ConsultationError) as error:
        services.do_publish_return(editor, page)
    assert error.value.code == "no_text"
    page.return_text = "<p>Haremos esto.</p>"
    page.save_revision().publish()
    with pytest.raises(services.ConsultationError):
        services.do_publish_return(learner, page)
    with run_on_commit():
        services.do_publish_return(editor, page)
    assert Notification.objects.filter(kind="consultation-return").count() == 2
    assert len(mail.outbox) == 2 and "#devolucion" in mail.outbox[0].body
    with pytest.raises(services.ConsultationError) as error:
        services.do_publish_return(editor, page)
    assert error.value.code == "published"
    # A later publication of the page keeps the return phase.
    page.refresh_from_db()
    page.title = "Nuevo título"
    page.save_revision().publish()
    page.refresh_from_db()
    assert page.return_published_at is not None


def test_return_cannot_be_published_while_open(consultation, editor):
    consultation.return_text = "<p>x</p>"
    consultation.save_revision().publish()
    with pytest.raises(services.ConsultationError) as error:
        services.do_publish_return(editor, consultation)
    assert error.value.code == "not_closed"


def test_results_visibility_follows_the_editors_choice(consultations_index, learner, expert,
                                                       editor):
    after_answer = factories.consultation(consultations_index)
    after_close = factories.consultation(consultations_index, results_visibility="after_close")
    for page in (after_answer, after_close):
        assert not services.can_see_results(learner, page)
        assert services.can_see_results(editor, page)
        submit(learner, page)
    assert services.can_see_results(learner, after_answer)
    assert not services.can_see_results(learner, after_close)
    assert not services.can_see_results(expert, after_answer)


def test_submission_announces_results_changed_after_commit(consultation, learner,
                                                           django_capture_on_commit_callbacks):
    from unittest import mock

    with mock.patch("allas_site.realtime.async_to_sync") as sender:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            submit(learner, consultation)
        assert not sender.called  # nothing before commit
        for callback in callbacks:
            callback()
    message = sender.return_value.call_args.args[1]
    assert sender.return_value.call_args.args[0] == f"consultations.{consultation.pk}"
    assert message["kind"] == "results.changed"


@pytest.mark.parametrize("value", ["²", "٣", " 9", "1\x00"])
def test_scale_from_the_form_accepts_only_ascii_digits(consultation, learner, value):
    answers = factories.complete_answers(consultation)
    answers[factories.questions(consultation)["scale"].id] = value
    with pytest.raises(services.ConsultationError):
        submit(learner, consultation, answers)
