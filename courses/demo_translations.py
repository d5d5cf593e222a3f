"""Demo courses in other languages: the catalogue page in English, French and
Portuguese, and the first course with its lessons in English (the second stays in
Spanish, so the catalogue shows a translated course and an untranslated one).

Data, not interface strings. Lessons are keyed by slug: (title, summary, body); the
body replaces the Spanish paragraph, and the callout and Cuaderno note are translated
too. A quiz keeps its question and answer ids (attempts and progress are shared across
languages): only the words change.
"""

INDEX = {
    "en": {
        "title": "Courses",
        "introduction": "<p>Distance courses for city hall teams and everyone who works on "
        "the internationalisation of cities.</p>",
    },
    "fr": {
        "title": "Cours",
        "introduction": "<p>Des cours à distance pour les équipes municipales et toutes les "
        "personnes qui travaillent à l’internationalisation des villes.</p>",
    },
    "pt": {
        "title": "Cursos",
        "introduction": "<p>Cursos à distância para equipas municipais e para quem trabalha "
        "na internacionalização das cidades.</p>",
    },
}


def _p(*paragraphs):
    return "".join(f"<p>{text}</p>" for text in paragraphs)


def _question(question, answers):
    return {"question": question, "answers": answers}


COURSES = {
    "internacionalizacion-estrategica-de-la-ciudad": {
        "en": {
            "title": "Strategic internationalisation of the city",
            "summary": "From one-off official trips to a public policy: how to design, govern "
            "and evaluate a local government's international strategy.",
            "objectives": (
                "<ul><li>Assess your city's international starting point.</li>"
                "<li>Set goals, priorities and partners in line with the government plan.</li>"
                "<li>Organise the international relations office and its budget.</li>"
                "<li>Measure results and report back to citizens.</li></ul>"
            ),
            "certificate_rules": "Complete every required lesson and pass its quiz.",
            "language": "en",
            "callout": {"title": "Key idea",
                        "text": "<p>International action is a means that serves the city's "
                                "priorities.</p>"},
            "cuaderno_note": "Take this lesson further by reading this Cuaderno.",
            "lessons": {
                "por-que-internacionalizarse": (
                    "Why go international?",
                    "Why act in the world, and the risks of doing it without a course.",
                    _p(
                        "The international action of local governments is neither a luxury "
                        "nor an end in itself: it is a way to attract resources, learn from "
                        "other cities and make the local voice heard on the global agendas.",
                        "In this lesson we look at the most common reasons, and at the risks "
                        "of going international without a course: trips with no follow-up, "
                        "agreements nobody carries out and expectations citizens do not share.",
                    ),
                ),
                "diagnostico": (
                    "Assessment: where we start from",
                    "Take stock of twinning agreements, networks, projects and people before "
                    "setting goals.",
                    _p(
                        "Before setting goals, take stock of what already exists: twinning "
                        "agreements, the networks the city belongs to, funded projects and the "
                        "people in the city hall with international experience.",
                        "A simple matrix of strengths, weaknesses, opportunities and threats "
                        "helps to set priorities and to explain the strategy to the cabinet.",
                    ),
                ),
                "objetivos-y-socios": (
                    "Goals, priorities and partners",
                    "Pick a few goals tied to the government plan, and partners who share your "
                    "problems.",
                    _p(
                        "A good strategy picks a few goals, tied to the government plan, and "
                        "looks for partners who share the same problems, not only for prestige.",
                    ),
                ),
                "la-oficina-internacional": (
                    "The international relations office",
                    "Its place in the organisation chart, the profiles it needs and how it "
                    "works with the other departments.",
                    _p(
                        "Where the office sits in the organisation chart, which profiles it "
                        "needs and how it works with the other departments decide how much it "
                        "can really achieve.",
                    ),
                ),
                "evaluacion": (
                    "Evaluate and be accountable",
                    "Indicators, public reports and participation that keep the policy going.",
                    _p(
                        "Process and outcome indicators, public reports and citizen "
                        "participation give international action legitimacy and protect it "
                        "from changes of government.",
                    ),
                ),
            },
            # In the order of the Spanish quiz; answers as (text, feedback).
            "quizzes": {
                "evaluacion": [
                    _question("What makes an international strategy solid?", [
                        ("A few goals tied to the government plan",
                         "Exactly: focus and alignment with local priorities."),
                        ("Signing as many agreements as possible",
                         "Agreements without follow-up are one of the most common risks."),
                        ("Travelling to every international summit",
                         "Being there without goals brings the city no results."),
                    ]),
                    {"question": "Reporting back to citizens helps international action "
                                 "survive changes of government.",
                     "feedback_true": "Correct: public legitimacy keeps the policy going.",
                     "feedback_false": "Go back over the lesson “Evaluate and be "
                                       "accountable”."},
                    _question("What is worth listing in the assessment?", [
                        ("Twinning agreements and the networks the city belongs to", "Yes."),
                        ("People in the city hall with international experience", "Yes."),
                        ("The mayor's number of followers on social media",
                         "It is not a measure of international capacity."),
                    ]),
                ],
            },
        },
    },
}
