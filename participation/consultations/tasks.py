"""Notifications of the consultations, sent through the task system in the person's
language: the return published (in-app notification and e-mail)."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from allas_site.core.navigation import absolute_url

TEMPLATES = "participation/consultations/email"


def _page_in(consultation, language):
    """The consultation as the person reads it: its copy in ``language``."""
    from wagtail.models import Locale

    locale = Locale.objects.filter(language_code=language).first()
    if locale is None or locale.pk == consultation.locale_id:
        return consultation
    return consultation.get_translation_or_none(locale) or consultation


@task()
def notify_return_published(response_id):
    """Tell one participant that the return of their consultation is published. Reads
    the response again: someone who deleted their answers in between gets nothing."""
    from allas_site.notifications.services import do_notify
    from participation.consultations.models import Response

    response = (Response.objects.select_related("user", "consultation")
                .filter(pk=response_id, user__is_active=True).first())
    if response is None:
        return False
    user = response.user
    language = user.preferred_language or response.language or settings.LANGUAGE_CODE
    with translation.override(language):
        page = _page_in(response.consultation, language)
        url = (absolute_url(page) or "") + "#devolucion"
        title = _("Devolución publicada: %(title)s") % {"title": page.title}
        do_notify(user, kind="consultation-return", title=title, url=url,
                  body=_("La ciudad explica qué hará con los resultados de la consulta."))
        context = {"user": user, "consultation": page, "url": url}
        subject = render_to_string(f"{TEMPLATES}/return_subject.txt", context)
        body = render_to_string(f"{TEMPLATES}/return.txt", context)
    EmailMessage(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split()), body,
                 settings.DEFAULT_FROM_EMAIL, [user.email]).send()
    return True
