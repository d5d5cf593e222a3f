"""Thin views: parse the request, call a service, render.

The catalogue, course and lesson pages are Wagtail pages; their context is built here
with a fixed number of queries whatever the number of courses, lessons or enrolments.
"""

import copy
import hashlib
import re
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from wagtail.models import Locale

from allas_site.core import page_cache
from allas_site.core.navigation import absolute_url, localized_path
from allas_site.core.page_tree import with_content_language
from allas_site.topics.models import Topic
from courses import enrolments, services
from courses.dashboard import collect_dashboard_sections
from courses.models import (
    DURATION_BUCKETS,
    Certificate,
    CourseFormat,
    CoursePage,
    Enrollment,
    LessonCompletion,
    LessonPage,
    Level,
    QuizAttempt,
)

CATALOGUE_PAGE_SIZE = 24
# How long a process keeps a catalogue page's courses at most (publishing retires them).
CATALOGUE_SECONDS = 300


# --- Catalogue ------------------------------------------------------------------------------


def course_cards(request, courses, catalogue_url):
    """``courses`` ready for ``components/courses/course_card.html``: each gets its URL
    under the catalogue and the learner's enrolment (kept: ``courses.enrolments``). The
    cards are copies: the courses may be kept lists shared by every request."""
    cards = [copy.copy(course) for course in courses]
    enrollments = enrolments.of(request.user) if cards else {}
    for card in cards:
        card.url_in_catalogue = f"{catalogue_url}{card.slug}/"
        card.enrollment = enrollments.get(card.translation_key)
    return cards


def _choice(request, name, allowed):
    value = request.GET.get(name, "")
    return value if value in allowed else ""


def catalogue_context(request, index_page):
    # The topics and each filtered page of courses are the same for everyone: they are
    # kept in this process until publishing (or a topic change) retires them; only the
    # learner's enrolments are read per request (course_cards). The querysets are built
    # only when something is not kept: building one costs more than reading what was.
    locale = index_page.locale

    def catalogue():
        return CoursePage.objects.catalogue(locale, request).child_of(index_page)

    topics = page_cache.remember(
        request, f"courses:catalogue-topics:{index_page.pk}:{locale.pk}",
        lambda: list(
            Topic.objects.filter(locale=locale, coursepage__in=catalogue())
            .distinct().order_by("name")
        ),
        CATALOGUE_SECONDS,
    )
    filters = {
        "tema": _choice(request, "tema", {topic.slug for topic in topics}),
        "nivel": _choice(request, "nivel", set(Level.values)),
        "idioma": _choice(request, "idioma", {code for code, _name in settings.LANGUAGES}),
        "formato": _choice(request, "formato", set(CourseFormat.values)),
        "duracion": _choice(request, "duracion", {key for key, *_rest in DURATION_BUCKETS}),
    }
    active = {key: value for key, value in filters.items() if value}
    wanted = request.GET.get("pagina")

    def build():
        courses = catalogue()
        if filters["tema"]:
            courses = courses.filter(topics__slug=filters["tema"])
        if filters["nivel"]:
            courses = courses.filter(level=filters["nivel"])
        if filters["idioma"]:
            courses = courses.filter(language=filters["idioma"])
        if filters["formato"]:
            courses = courses.filter(course_format=filters["formato"])
        if filters["duracion"]:
            _key, _label, low, high = next(
                bucket for bucket in DURATION_BUCKETS if bucket[0] == filters["duracion"]
            )
            courses = courses.filter(duration_hours__gte=low)
            if high is not None:
                courses = courses.filter(duration_hours__lte=high)
        courses = courses.prefetch_related("cover__renditions")
        page = Paginator(courses, CATALOGUE_PAGE_SIZE).get_page(wanted)
        return page.paginator.count, page.number, list(page.object_list)

    if wanted is None or len(wanted) <= 20:
        key = f"{index_page.pk}:{locale.pk}:{urlencode(sorted(active.items()))}:{wanted}"
        count, number, listed = page_cache.remember(
            request, "courses:catalogue:" + hashlib.sha256(key.encode()).hexdigest(),
            build, CATALOGUE_SECONDS, shared=True,  # course_cards copies what it marks
        )
    else:  # an odd page number: not worth keeping
        count, number, listed = build()
    # The page links need only the count and the number: no queryset behind them.
    paginator = Paginator([], CATALOGUE_PAGE_SIZE)
    paginator.count = count  # a cached property: no COUNT query
    page_obj = paginator.page(number)
    page_obj.object_list = listed
    cards = course_cards(request, page_obj.object_list, index_page.get_url(request))
    return {
        "courses": cards,
        "page_obj": page_obj,
        "filters": filters,
        "filters_active": bool(active),
        "filter_query": urlencode(active),
        "topics": topics,
        "levels": Level.choices,
        "languages": settings.LANGUAGES,
        "formats": CourseFormat.choices,
        "durations": [(key, label) for key, label, *_rest in DURATION_BUCKETS],
    }


# --- Course page ----------------------------------------------------------------------------


def _lesson_url(course_url, lesson):
    return f"{course_url}{lesson.slug}/"


def syllabus(course, course_url, done_keys):
    """The lessons as the template shows them, with URLs built without queries."""
    items = []
    for number, lesson in enumerate(course.lessons, start=1):
        items.append({
            "number": number,
            "lesson": lesson,
            "url": _lesson_url(course_url, lesson),
            "done": lesson.translation_key in done_keys,
        })
    return items


def next_lesson(items):
    for item in items:
        if not item["done"] and item["lesson"].required:
            return item
    return next((item for item in items if not item["done"]), None)


def _course_parts(request, course):
    """What a course page shows the same for everyone (lessons, prerequisites,
    instructors, topics), kept in this process until publishing retires it; read afresh
    for a preview, whose draft may differ from the live course."""

    def build():
        return {
            "lessons": course.lessons,
            "prerequisites": list(course.prerequisites.all()),
            "instructors": list(course.instructors.all()),
            "topics": list(course.topics.all()),
        }

    if getattr(request, "is_preview", False):
        return build()
    return page_cache.remember(request, f"courses:course-parts:{course.pk}", build,
                               CATALOGUE_SECONDS)


def catalogue_url(request, course, course_url):
    """The URL of the catalogue a course sits in: its own URL without its slug (how
    Wagtail builds a child's URL), so no query for the parent page; asked of the parent
    when the course's URL does not end that way."""
    suffix = f"{course.slug}/"
    if course_url and course_url.endswith(suffix) and len(course_url) > len(suffix):
        return course_url[: -len(suffix)]
    return course.get_parent().get_url(request)


def course_context(request, course):
    user = request.user
    parts = _course_parts(request, course)
    course.lessons = parts["lessons"]  # the cached property, filled
    course_url = course.get_url(request)
    enrollment = None
    done_keys = set()
    if user.is_authenticated:
        enrollment = enrolments.of(user).get(course.translation_key)
        if enrollment is not None:
            done_keys = set(enrollment.done_keys)
    items = syllabus(course, course_url, done_keys)
    certificate = getattr(enrollment, "certificate", None) if enrollment else None
    prerequisites = parts["prerequisites"]
    missing = [] if enrollment is not None else services.missing_prerequisites(user, prerequisites)

    if certificate is not None and certificate.is_valid:
        action = "certificate"
    elif enrollment is not None:
        action = "continue"
    elif not course.enrolment_is_open():
        action = "closed"
    elif not user.is_authenticated:
        action = "login"
    elif missing:
        action = "prerequisites"
    else:
        action = "enrol"
    upcoming = next_lesson(items)
    return {
        "course": course,
        "course_url": course_url,
        "syllabus": items,
        "enrollment": enrollment,
        "certificate": certificate,
        "action": action,
        "next_item": upcoming,
        "instructors": parts["instructors"],
        "course_topics": parts["topics"],
        "prerequisites": prerequisites,
        "missing_prerequisites": missing,
        "enrol_url": course_url + course.reverse_subpage("enrol").lstrip("/"),
        "catalogue_url": catalogue_url(request, course, course_url),
        "login_url": f"{localized_path('/cuentas/login/')}?{urlencode({'next': course_url})}",
    }


def enrol(request, course):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    course_url = course.get_url(request)
    if not request.user.is_authenticated:
        return redirect_to_login(course_url)
    try:
        services.do_enroll(request.user, course)
    except services.CourseError as error:
        messages.error(request, str(error))
        return redirect(course_url)
    messages.success(request, _("Te has inscrito en «%(course)s».") % {"course": course.title})
    first = next_lesson(syllabus(course, course_url, set()))
    return redirect(first["url"] if first else course_url)


# --- Lessons ------------------------------------------------------------------------------


def _quiz_feedback(lesson, attempt):
    """Re-grade a stored attempt for display; questions removed since are skipped."""
    questions = lesson.quiz_questions()
    rows = []
    for qid, _kind, value, choices in questions:
        chosen = set(attempt.answers.get(qid, []))
        correct_ids = {c[0] for c in choices if c[2]}
        rows.append({
            "id": qid,
            "question": value["question"],
            "correct": bool(chosen) and chosen == correct_ids,
            "chosen": [{"text": c[1], "feedback": c[3], "correct": c[2]}
                       for c in choices if c[0] in chosen],
        })
    return rows


def lesson_context(request, lesson, course, enrollment):
    course_url = course.get_url(request)
    done_keys = set()
    attempts = []
    if enrollment is not None:
        done_keys = set(enrollment.completions.values_list("lesson_key", flat=True))
        if lesson.has_quiz:
            attempts = list(QuizAttempt.objects.filter(
                enrollment=enrollment, lesson_key=lesson.translation_key
            ))
    items = syllabus(course, course_url, done_keys)
    position = next((i for i, item in enumerate(items) if item["lesson"].pk == lesson.pk), None)
    previous_item = items[position - 1] if position else None
    next_item = items[position + 1] if position is not None and position + 1 < len(items) else None
    last_attempt = attempts[0] if attempts else None
    attempts_left = None
    if lesson.max_attempts:
        attempts_left = max(lesson.max_attempts - len(attempts), 0)
    lesson_url = _lesson_url(course_url, lesson)
    return {
        "course": course,
        "course_url": course_url,
        "syllabus": items,
        "current_number": position + 1 if position is not None else None,
        "previous_item": previous_item,
        "next_item": next_item,
        "enrollment": enrollment,
        "is_done": lesson.translation_key in done_keys,
        "questions": lesson.quiz_questions() if lesson.has_quiz else [],
        "attempts": attempts,
        "last_attempt": last_attempt,
        "last_feedback": _quiz_feedback(lesson, last_attempt) if last_attempt else [],
        "attempts_left": attempts_left,
        "quiz_passed": any(attempt.passed for attempt in attempts),
        "complete_url": lesson_url + "completar/",
        "quiz_url": lesson_url + "cuestionario/",
    }


def lesson(request, lesson):
    course = lesson.get_course()
    enrollment = services.get_enrollment(request.user, course)
    if not services.can_open_lesson(request.user, lesson, enrollment):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        messages.info(request, _("Inscríbete en el curso para abrir sus lecciones."))
        return redirect(course.get_url(request))
    context = lesson.get_context(request, course=course, enrollment=enrollment)
    return TemplateResponse(request, lesson.get_template(request), context)


def _post_only(request):
    return None if request.method == "POST" else HttpResponseNotAllowed(["POST"])


def complete_lesson(request, lesson):
    if (refused := _post_only(request)) is not None:
        return refused
    if not request.user.is_authenticated:
        return redirect_to_login(lesson.get_url(request))
    course = lesson.get_course()
    course_url = course.get_url(request)
    try:
        enrollment = services.do_complete_lesson(request.user, lesson)
    except services.CourseError as error:
        messages.error(request, str(error))
        return redirect(course_url)
    if enrollment.completed_at is not None and enrollment.progress >= 100:
        messages.success(request, _("¡Has completado el curso! Tu certificado está listo."))
        return redirect(course_url)
    messages.success(request, _("Lección completada."))
    items = syllabus(course, course_url, set(
        enrollment.completions.values_list("lesson_key", flat=True)
    ))
    upcoming = next_lesson(items)
    return redirect(upcoming["url"] if upcoming else course_url)


def _submitted_answers(request, lesson):
    """Form fields are named ``q-<question id>``; values are answer ids."""
    answers = {}
    for key in request.POST:
        if key.startswith("q-"):
            answers[key[2:]] = request.POST.getlist(key)
    return answers


def submit_quiz(request, lesson):
    if (refused := _post_only(request)) is not None:
        return refused
    if not request.user.is_authenticated:
        return redirect_to_login(lesson.get_url(request))
    course = lesson.get_course()
    lesson_url = _lesson_url(course.get_url(request), lesson)
    try:
        result = services.do_submit_quiz(request.user, lesson, _submitted_answers(request, lesson))
    except services.CourseError as error:
        enrollment = services.get_enrollment(request.user, course)
        if enrollment is None:
            messages.error(request, str(error))
            return redirect(course.get_url(request))
        context = lesson.get_context(request, course=course, enrollment=enrollment)
        context["quiz_error"] = str(error)
        return TemplateResponse(request, lesson.get_template(request), context, status=400)
    if result.attempt.passed:
        messages.success(request, _("¡Cuestionario aprobado con un %(score)s %%!")
                         % {"score": result.attempt.score})
    else:
        messages.warning(request, _("No has llegado a la nota mínima (%(score)s %%). "
                                    "Revisa la retroalimentación.")
                         % {"score": result.attempt.score})
    return redirect(lesson_url + "#resultado")


# --- My learning ------------------------------------------------------------------------------


def dashboard_entries(user):
    """The learner's enrolments with progress and next lesson, in five queries. Each
    course is shown in the visitor's language's tree (its translation or its alias),
    whichever language the learner enrolled in: progress follows the translation key."""
    enrollments = list(
        Enrollment.objects.for_user(user).select_related("course", "certificate")
    )
    if not enrollments:
        return []
    local = {
        course.translation_key: course
        for course in with_content_language(CoursePage.objects.live()).filter(
            locale=Locale.get_active(),
            translation_key__in=[enrollment.course_key for enrollment in enrollments],
        )
    }
    courses = {
        enrollment.pk: local.get(enrollment.course_key, enrollment.course)
        for enrollment in enrollments
    }
    condition = Q()
    for course in courses.values():
        condition |= Q(path__startswith=course.path, depth=course.depth + 1)
    lessons_by_course = {}
    lessons = LessonPage.objects.live().filter(condition).order_by("path").defer_streamfields()
    for lesson in lessons:
        lessons_by_course.setdefault(lesson.path[: -LessonPage.steplen], []).append(lesson)
    done = {}
    for enrollment_id, key in LessonCompletion.objects.filter(
        enrollment__in=enrollments
    ).values_list("enrollment_id", "lesson_key"):
        done.setdefault(enrollment_id, set()).add(key)
    entries = []
    for enrollment in enrollments:
        course = courses[enrollment.pk]
        course_url = course.url  # Wagtail caches the site's root paths
        course.__dict__["lessons"] = lessons_by_course.get(course.path, [])
        items = syllabus(course, course_url, done.get(enrollment.pk, set()))
        entries.append({
            "enrollment": enrollment,
            "course": course,
            "course_url": course_url,
            "next_item": None if enrollment.is_completed else next_lesson(items),
            "lesson_count": len(items),
            "done_count": sum(1 for item in items if item["done"]),
            "certificate": getattr(enrollment, "certificate", None),
        })
    return entries


@login_required
def my_learning(request):
    entries = dashboard_entries(request.user)
    in_progress = [e for e in entries if not e["enrollment"].is_completed]
    completed = [e for e in entries if e["enrollment"].is_completed]
    certificates = [e["certificate"] for e in entries if e["certificate"] is not None]
    # Webinar participation certificates (linked by their reverse name) sit beside them.
    certificates += list(Certificate.objects.filter(participation__user=request.user))
    return render(request, "courses/my_learning.html", {
        "in_progress": in_progress,
        "completed": completed,
        "certificates": certificates,
        "sections": collect_dashboard_sections(request),
        "catalogue_url": localized_path("/cursos/"),
    })


# --- Certificates ---------------------------------------------------------------------------


def certificate_lookup(request):
    code = re.sub(r"[^A-Z0-9-]", "", request.GET.get("codigo", "").upper())[:20]
    if code:
        return redirect(localized_path(f"/certificados/{code}/"))
    return render(request, "courses/certificate_lookup.html", {})


def _find_certificate(code):
    return (
        Certificate.objects.select_related("enrollment", "participation")
        .filter(code=code.upper()).first()
    )


def _certificate_not_found(request, code):
    return render(request, "courses/certificate_detail.html",
                  {"code": code, "certificate": None}, status=404)


def _may_download(user, certificate):
    """The PDF is for the certificate's holder and for course editors."""
    holder_id = certificate.holder_id
    return user.is_authenticated and (
        (holder_id is not None and holder_id == user.pk) or services.is_course_editor(user)
    )


def certificate_detail(request, code):
    certificate = _find_certificate(code)
    if certificate is None:
        return _certificate_not_found(request, code)
    return render(request, "courses/certificate_detail.html", {
        "code": certificate.code,
        "certificate": certificate,
        "can_download": _may_download(request.user, certificate) and certificate.is_valid,
        "verify_url": absolute_url(certificate.get_absolute_url()),
    })


@login_required
def certificate_pdf(request, code):
    from courses.certificates import render_certificate_pdf

    certificate = _find_certificate(code)
    if certificate is None:
        return _certificate_not_found(request, code)
    if not _may_download(request.user, certificate):
        return HttpResponse(_("Solo la persona titular puede descargar este certificado."),
                            status=403, content_type="text/plain; charset=utf-8")
    if not certificate.is_valid:
        return HttpResponse(_("Este certificado fue revocado y ya no puede descargarse."),
                            status=410, content_type="text/plain; charset=utf-8")
    verify_url = absolute_url(certificate.get_absolute_url())
    response = HttpResponse(render_certificate_pdf(certificate, verify_url),
                            content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificado-{certificate.code}.pdf"'
    return response
