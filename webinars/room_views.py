"""``/webinars/<slug>/sala/``: the live room page, its speaker view (``?vista=ponente``)
and the forms that work without JavaScript (the same services the socket calls).

Reached through the event page's ``sala/`` route (``WebinarPage.room_view``), so it
exists in every language's tree.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from webinars import live
from webinars.models import LiveRoom, Poll, PollVote, Question, QuestionStatus, QuestionVote

SPEAKER_VIEW = "ponente"
POLLS_SHOWN_CLOSED = 1  # the latest closed poll keeps its results on screen


def stream_embed(url):
    """``url`` when the browser may frame it (an https origin in ``CSP_FRAME_SOURCES``,
    the same list the Content-Security-Policy allows), else ``None``: a frame the policy
    blocks would show an empty box, a link works everywhere."""
    if not url:
        return None
    parts = urlsplit(url)
    allowed = {source.rstrip("/") for source in getattr(settings, "CSP_FRAME_SOURCES", [])}
    if parts.scheme == "https" and f"{parts.scheme}://{parts.netloc}" in allowed:
        return url
    return None


def question_order(question):
    """Open questions first (the highlighted one on top, then by votes), answered last."""
    return (question.status == QuestionStatus.ANSWERED, not question.highlighted,
            -question.votes, question.pk)


def room_context(request, page, access, *, speaker_view=False):
    user = request.user
    key = page.translation_key
    # Read before the questions: what the page shows is at least this new, and the socket
    # resumes from here (anything later is sent again; the script keeps one copy by id).
    room = LiveRoom.objects.filter(webinar_key=key).first() or LiveRoom(webinar_key=key)
    questions = Question.objects.for_webinar(page).select_related("author")
    if speaker_view:
        questions = questions.filter(status=QuestionStatus.VISIBLE)
    elif not access.moderator:
        questions = questions.shown()
    questions = sorted(questions, key=question_order)
    voted = set(
        QuestionVote.objects.filter(question__webinar_key=key, user=user)
        .values_list("question_id", flat=True)
    )
    polls = list(Poll.objects.filter(webinar_key=key).prefetch_related("options")
                 .order_by("-id"))
    shown_polls = [poll for poll in polls if poll.is_open]
    shown_polls += [poll for poll in polls if not poll.is_open][:POLLS_SHOWN_CLOSED]
    choices = dict(
        PollVote.objects.filter(poll__webinar_key=key, user=user)
        .values_list("poll_id", "option_id")
    )
    for poll in shown_polls:
        poll.my_choice = choices.get(poll.pk)
        poll.shows_results = not poll.is_open or access.moderator or poll.my_choice is not None
        for option in poll.options.all():
            option.percent = round(100 * option.votes / poll.votes) if poll.votes else 0
    room_url = request.path
    return {
        "page": page,
        "event": page,
        "access": access,
        "questions": questions,
        "voted": voted,
        "polls": shown_polls,
        "last_id": room.last_question_id,
        "change_seq": room.change_seq,
        "stream_url": stream_embed(page.stream_embed_url),
        "stream_link": page.stream_embed_url if not stream_embed(page.stream_embed_url) else "",
        # An editor may give the room itself as the joining link: no link to this page.
        "join_url": page.join_url if urlsplit(page.join_url).path != room_url else "",
        "is_live": page.is_live(),
        "room_url": room_url,
        "speaker_url": f"{room_url}?vista={SPEAKER_VIEW}",
        "max_chars": live.question_max_chars(),
        "moderation_actions": live.MODERATION_ACTIONS,
    }


def _closed(request, page, access):
    """Why this person may not enter, with the way in (log in, register) when there is one."""
    return render(request, "webinars/room_closed.html", {
        "page": page, "event": page, "access": access, "opens_at": live.opens_at(page),
    }, status=403)


@never_cache
def room(request, page):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    access = live.room_access(request.user, page)
    if not access.allowed:
        return _closed(request, page, access)
    if request.method == "POST":
        return act(request, page, access)
    live.do_record_attendance(request.user, page)
    speaker_view = request.GET.get("vista") == SPEAKER_VIEW
    template = "webinars/room_speaker.html" if speaker_view else "webinars/room.html"
    return render(request, template,
                  room_context(request, page, access, speaker_view=speaker_view))


def act(request, page, access):
    """One form of the room, posted without JavaScript; back to the room with a message
    (the question form keeps what was typed when it is refused)."""
    data, user = request.POST, request.user
    action = data.get("action")
    anchor = "#preguntas"
    try:
        if action == "ask":
            live.do_ask(user, page, data.get("text", ""))
            messages.success(request, _("Pregunta enviada."))
        elif action == "vote":
            live.do_toggle_vote(user, page, data.get("question"))
        elif action == "moderate":
            live.do_moderate_question(user, page, data.get("question"), data.get("moderation"))
        elif action == "poll_open":
            live.do_open_poll(user, page, data.get("question"),
                              data.get("options", "").splitlines())
            anchor = "#encuestas"
        elif action == "poll_vote":
            live.do_vote_poll(user, page, data.get("poll"), data.get("option"))
            anchor = "#encuestas"
        elif action == "poll_close":
            live.do_close_poll(user, page, data.get("poll"))
            anchor = "#encuestas"
        else:
            raise live.RoomError(_("Esa acción no existe."), code="bad_action")
    except live.RoomError as error:
        if action == "ask":
            context = room_context(request, page, access)
            context.update(ask_error=str(error), ask_text=data.get("text", "")[:10_000])
            return render(request, "webinars/room.html", context, status=error.status)
        messages.error(request, str(error))
    return redirect(request.path + anchor)
