"""Webinars and other events of the Agenda, registrations and calendar tokens.

One module per part so that each can grow on its own: ``events`` (the pages and the
series), ``registrations`` (places, waitlist, calendar tokens). The live room adds its
own module and one import line here.
"""

from webinars.models.archive import ParticipationCertificate, RegistrantMessage  # noqa: F401
from webinars.models.events import (  # noqa: F401
    LanguageListField,
    WebinarDocument,
    WebinarFormat,
    WebinarIndexPage,
    WebinarPage,
    WebinarQuerySet,
    WebinarSeries,
    WebinarSpeaker,
    WebinarStatus,
)
from webinars.models.live import (  # noqa: F401
    LiveRoom,
    Poll,
    PollOption,
    PollStatus,
    PollVote,
    Question,
    QuestionStatus,
    QuestionVote,
)
from webinars.models.registrations import (  # noqa: F401
    CalendarToken,
    Registration,
    RegistrationQuerySet,
    RegistrationStatus,
)
