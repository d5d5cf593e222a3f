"""Demo courses for ``load_demo`` (through the ``allas_demo_loader`` hook).

Two courses from the seeds' themes, each with lessons and a quiz; the demo learner is
part-way through the first and has finished the second, with its certificate. Every
object is looked up before it is created, so running it twice changes nothing.
"""

from django.contrib.auth import get_user_model
from wagtail.models import Locale, Page

from allas_site.core import page_tree
from allas_site.core.models import HomePage
from allas_site.topics.models import Topic
from courses import demo_translations as translations
from courses import services
from courses.models import CourseIndexPage, CoursePage, Enrollment, LessonPage


def _p(*paragraphs):
    return "".join(f"<p>{text}</p>" for text in paragraphs)


def _choice(question, answers, multiple=False):
    return ("choice", {
        "question": question,
        "multiple": multiple,
        "answers": [{"text": t, "correct": c, "feedback": f} for t, c, f in answers],
    })


def _true_false(question, correct, if_true, if_false):
    return ("true_false", {"question": question, "correct": correct,
                           "feedback_true": if_true, "feedback_false": if_false})


COURSES = [
    {
        "slug": "internacionalizacion-estrategica-de-la-ciudad",
        "title": "Internacionalización estratégica de la ciudad",
        "summary": (
            "Del viaje institucional suelto a una política pública: cómo diseñar, gobernar y "
            "evaluar la estrategia internacional de un gobierno local."
        ),
        "objectives": (
            "<ul><li>Diagnosticar el punto de partida internacional de tu ciudad.</li>"
            "<li>Definir objetivos, prioridades y socios alineados con el plan de gobierno.</li>"
            "<li>Organizar la oficina de relaciones internacionales y su presupuesto.</li>"
            "<li>Medir resultados y rendir cuentas a la ciudadanía.</li></ul>"
        ),
        "level": "intro", "language": "es", "course_format": "self_paced",
        "duration_hours": 12, "topics": ["planificacion-estrategica", "diplomacia-de-ciudades"],
        "instructors": ["experta@allas.local"],
        "lessons": [
            ("por-que-internacionalizarse", "¿Por qué internacionalizarse?", 25, True, _p(
                "La acción internacional de los gobiernos locales no es un lujo ni un fin en sí "
                "misma: es un medio para atraer recursos, aprender de otras ciudades y hacer "
                "oír la voz local en las agendas globales.",
                "En esta lección repasamos los motivos más frecuentes y los riesgos de una "
                "internacionalización sin rumbo: viajes sin seguimiento, convenios que nadie "
                "ejecuta y expectativas que la ciudadanía no comparte.",
            ), None),
            ("diagnostico", "Diagnóstico: de dónde partimos", 40, False, _p(
                "Antes de fijar objetivos conviene inventariar lo que ya existe: hermanamientos, "
                "redes a las que pertenece la ciudad, proyectos financiados y personas con "
                "experiencia internacional dentro del ayuntamiento.",
                "Una matriz sencilla de fortalezas, debilidades, oportunidades y amenazas ayuda "
                "a priorizar y a explicar la estrategia al gabinete.",
            ), None),
            ("objetivos-y-socios", "Objetivos, prioridades y socios", 45, False, _p(
                "Una buena estrategia elige pocos objetivos, vinculados al plan de gobierno, y "
                "busca socios por afinidad de problemas, no solo por prestigio.",
            ), None),
            ("la-oficina-internacional", "La oficina de relaciones internacionales", 40, False, _p(
                "Dónde se ubica la oficina en el organigrama, qué perfiles necesita y cómo se "
                "coordina con las demás áreas determinan su capacidad real de incidir.",
            ), None),
            ("evaluacion", "Evaluar y rendir cuentas", 30, False, _p(
                "Indicadores de proceso y de resultado, informes públicos y participación de la "
                "ciudadanía legitiman la acción internacional y la protegen de los cambios de "
                "gobierno.",
            ), [
                _choice("¿Qué caracteriza a una estrategia internacional sólida?", [
                    ("Pocos objetivos ligados al plan de gobierno", True,
                     "Exacto: foco y alineación con las prioridades locales."),
                    ("Firmar el mayor número posible de convenios", False,
                     "Los convenios sin seguimiento son uno de los riesgos más comunes."),
                    ("Viajar a todas las cumbres internacionales", False,
                     "La presencia sin objetivos no genera resultados para la ciudad."),
                ]),
                _true_false(
                    "Rendir cuentas a la ciudadanía ayuda a que la acción internacional "
                    "sobreviva a los cambios de gobierno.", True,
                    "Correcto: la legitimidad social da continuidad a la política.",
                    "Repasa la lección «Evaluar y rendir cuentas».",
                ),
                _choice("¿Qué elementos conviene inventariar en el diagnóstico?", [
                    ("Hermanamientos y redes a las que pertenece la ciudad", True, "Sí."),
                    ("Personas con experiencia internacional en el ayuntamiento", True, "Sí."),
                    ("El número de seguidores del alcalde en redes sociales", False,
                     "No es un indicador de capacidad internacional."),
                ], multiple=True),
            ]),
        ],
    },
    {
        "slug": "redes-de-ciudades-y-cooperacion-descentralizada",
        "title": "Redes de ciudades y cooperación descentralizada",
        "summary": (
            "Qué aportan las redes de ciudades, cómo funciona la cooperación entre gobiernos "
            "locales de Europa y América Latina y cómo sacar partido de ambas."
        ),
        "objectives": (
            "<ul><li>Distinguir los tipos de redes de ciudades y su utilidad.</li>"
            "<li>Entender la cooperación descentralizada y sus instrumentos.</li>"
            "<li>Preparar a tu ciudad para participar activamente.</li></ul>"
        ),
        "level": "intermediate", "language": "es", "course_format": "self_paced",
        "duration_hours": 8, "topics": ["redes-de-ciudades", "cooperacion-descentralizada"],
        "instructors": ["experto@allas.local", "experta@allas.local"],
        "lessons": [
            ("que-es-una-red", "¿Qué es una red de ciudades?", 25, True, _p(
                "Las redes de ciudades reúnen a gobiernos locales para aprender entre pares, "
                "incidir en las agendas internacionales y acceder a proyectos conjuntos.",
            ), None),
            ("cooperacion-descentralizada", "La cooperación descentralizada", 35, False, _p(
                "La cooperación descentralizada es la que protagonizan los gobiernos locales y "
                "regionales, de territorio a territorio, con una lógica de reciprocidad.",
            ), None),
            ("instrumentos", "Instrumentos y financiación", 35, False, _p(
                "Convocatorias, proyectos en consorcio, intercambios técnicos y programas de "
                "las redes: cada instrumento exige capacidades distintas.",
            ), None),
            ("participar-activamente", "Participar activamente", 30, False, _p(
                "Las ciudades que más aprovechan las redes son las que asumen tareas: coordinan "
                "grupos de trabajo, acogen encuentros y comparten sus experiencias.",
            ), [
                _choice("¿Quién protagoniza la cooperación descentralizada?", [
                    ("Los gobiernos locales y regionales", True,
                     "Exacto: de territorio a territorio."),
                    ("Solo los ministerios de asuntos exteriores", False,
                     "Esa es la cooperación bilateral entre Estados."),
                ]),
                _true_false(
                    "Las redes de ciudades sirven sobre todo para el aprendizaje entre pares.",
                    True, "Sí: es una de sus funciones principales.",
                    "Repasa la lección «¿Qué es una red de ciudades?».",
                ),
            ]),
        ],
    },
]

# One line under each lesson's title (and its search/social description), by slug.
LESSON_SUMMARIES = {
    "por-que-internacionalizarse": "Los motivos para actuar en el mundo y los riesgos de "
    "hacerlo sin rumbo.",
    "diagnostico": "Inventariar hermanamientos, redes, proyectos y personas antes de fijar "
    "objetivos.",
    "objetivos-y-socios": "Elegir pocos objetivos ligados al plan de gobierno y socios con "
    "problemas afines.",
    "la-oficina-internacional": "Su lugar en el organigrama, los perfiles que necesita y su "
    "coordinación con las demás áreas.",
    "evaluacion": "Indicadores, informes públicos y participación que dan continuidad a la "
    "política.",
    "que-es-una-red": "Aprender entre pares, incidir juntos y acceder a proyectos conjuntos.",
    "cooperacion-descentralizada": "La cooperación de territorio a territorio y su lógica de "
    "reciprocidad.",
    "instrumentos": "Convocatorias, consorcios, intercambios técnicos y programas de las redes.",
    "participar-activamente": "Asumir tareas en las redes para sacarles el máximo partido.",
}

LEARNER = "aprendiz@allas.local"


def _index(home):
    index = CourseIndexPage.objects.child_of(home).first()
    if index is None:
        index = CourseIndexPage(
            title="Cursos", slug="cursos",
            introduction=_p("Cursos a distancia para equipos municipales y personas que "
                            "trabajan la internacionalización de las ciudades."),
        )
        home.add_child(instance=index)
        index.save_revision().publish()
    for code, texts in translations.INDEX.items():
        translated = page_tree.start_translation(index, Locale.objects.get(language_code=code))
        if translated is not None:
            translated.title, translated.introduction = texts["title"], texts["introduction"]
            translated.save_revision().publish()
    return index


def _cuaderno_block():
    try:
        from allas_site.publications.models import PublicationPage
    except ImportError:
        return None
    cuaderno = PublicationPage.objects.live().filter(locale=Locale.get_default()).first()
    if cuaderno is None:
        return None
    return ("cuaderno", {"cuaderno": cuaderno,
                         "note": "Amplía esta lección con la lectura de este Cuaderno."})


def _course(index, data, stdout):
    course = CoursePage.objects.child_of(index).filter(slug=data["slug"]).first()
    if course is not None:
        return course
    User = get_user_model()
    course = CoursePage(
        title=data["title"], slug=data["slug"], summary=data["summary"],
        objectives=data["objectives"], level=data["level"], language=data["language"],
        course_format=data["course_format"], duration_hours=data["duration_hours"],
    )
    index.add_child(instance=course)
    course.topics.set(Topic.objects.filter(slug__in=data["topics"], locale=index.locale))
    course.instructors.set(User.objects.filter(email__in=data["instructors"]))
    course.save_revision().publish()
    reference = _cuaderno_block()
    for number, (slug, title, minutes, preview, body, quiz) in enumerate(data["lessons"]):
        blocks = [("paragraph", body)]
        if number == 1 and reference:
            blocks.append(reference)
        if number == 0:
            blocks.append(("callout", {"tone": "key", "title": "Idea clave",
                                       "text": "<p>La acción internacional es un medio al "
                                               "servicio de las prioridades de la ciudad.</p>"}))
        lesson = LessonPage(title=title, slug=slug, duration_minutes=minutes,
                            summary=LESSON_SUMMARIES.get(slug, ""),
                            free_preview=preview, body=blocks, quiz=quiz or [],
                            pass_mark=60, max_attempts=3)
        course.add_child(instance=lesson)
        lesson.save_revision().publish()
    stdout.write(f"  course created: {course.title}")
    return CoursePage.objects.get(pk=course.pk)


COURSE_FIELDS = ("title", "summary", "objectives", "certificate_rules", "language")


def _fill_summaries(course):
    """Summaries for lessons an earlier demo created without one."""
    for lesson in LessonPage.objects.child_of(course).filter(summary=""):
        if lesson.slug in LESSON_SUMMARIES:
            lesson.summary = LESSON_SUMMARIES[lesson.slug]
            lesson.save_revision().publish()


def _translate_course(course):
    """The course and its lessons in each language of ``translations.COURSES`` (same
    slugs, settings and quiz ids, translated words); what is translated stays as it is."""
    for code, texts in translations.COURSES.get(course.slug, {}).items():
        locale = Locale.objects.get(language_code=code)
        translated = page_tree.start_translation(course, locale)
        if translated is not None:
            for field in COURSE_FIELDS:
                setattr(translated, field, texts[field])
            # The catalogue of a language lists and filters by that language's topics.
            keys = [topic.translation_key for topic in course.topics.all()]
            translated.topics.set(Topic.objects.filter(locale=locale, translation_key__in=keys))
            translated.save_revision().publish()
        for lesson in LessonPage.objects.child_of(course).order_by("path"):
            _translate_lesson(lesson, locale, texts)


def _translate_lesson(lesson, locale, texts):
    translated = page_tree.start_translation(lesson, locale)
    if translated is None:
        return
    translated.title, translated.summary, body = texts["lessons"][lesson.slug]
    translated.body = [_translate_block(raw, body, texts, locale) for raw in lesson.body.raw_data]
    questions = texts["quizzes"].get(lesson.slug)
    if questions:
        translated.quiz = [
            _translate_question(raw, words)
            for raw, words in zip(lesson.quiz.raw_data, questions, strict=True)
        ]
    translated.save_revision().publish()


def _translate_block(raw, body, texts, locale):
    value = raw["value"]
    if raw["type"] == "paragraph":
        value = body
    elif raw["type"] == "callout":
        value = dict(value, **texts["callout"])
    elif raw["type"] == "cuaderno":
        cuaderno = Page.objects.filter(pk=value["cuaderno"]).first()
        other = cuaderno.get_translation_or_none(locale) if cuaderno else None
        value = dict(value, note=texts["cuaderno_note"],
                     cuaderno=other.pk if other else value["cuaderno"])
    return {**raw, "value": value}


def _translate_question(raw, words):
    value = dict(raw["value"], question=words["question"])
    if raw["type"] == "true_false":
        value.update(feedback_true=words["feedback_true"], feedback_false=words["feedback_false"])
    else:
        value["answers"] = [
            {**item, "value": dict(item["value"], text=text, feedback=feedback)}
            for item, (text, feedback) in zip(value["answers"], words["answers"], strict=True)
        ]
    return {**raw, "value": value}


def _right_answers(lesson):
    return {qid: [c[0] for c in choices if c[2]] for qid, _k, _v, choices in
            lesson.quiz_questions()}


def _progress(user, course, lessons_to_complete):
    if not Enrollment.objects.for_user(user).for_course(course).exists():
        services.do_enroll(user, course)
    for lesson in LessonPage.objects.child_of(course).live().order_by("path")[
        :lessons_to_complete
    ]:
        if lesson.has_quiz:
            enrollment = Enrollment.objects.for_user(user).for_course(course).get()
            if not enrollment.quiz_attempts.filter(passed=True).exists():
                services.do_submit_quiz(user, lesson, _right_answers(lesson))
        else:
            services.do_complete_lesson(user, lesson)


def load_courses(stdout):
    home = HomePage.objects.filter(locale=Locale.get_default()).first()
    if home is None:
        return
    index = _index(home)
    courses = [_course(index, data, stdout) for data in COURSES]
    for course in courses:
        _fill_summaries(course)
        _translate_course(course)
    learner = get_user_model().objects.filter(email=LEARNER).first()
    if learner is not None:
        _progress(learner, courses[0], 2)
        _progress(learner, courses[1], len(COURSES[1]["lessons"]))
