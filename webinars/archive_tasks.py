"""The editors' message to an event's registered people, sent by the task system.

The message is claimed (``sent_at``) by a conditional update before anything leaves,
so a task run twice sends nothing the second time. Each person gets their own e-mail
(no one sees the others' addresses), the editor's words as written, framed in the
person's language.
"""

from django.conf import settings
from django.core import mail
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from allas_site.core.navigation import absolute_url, localized_path


@task()
def send_registrant_message(message_id):
    from webinars.models import RegistrantMessage, Registration
    from webinars.tasks import _page_in

    claimed = RegistrantMessage.objects.filter(pk=message_id, sent_at__isnull=True).update(
        sent_at=timezone.now()
    )
    if not claimed:
        return 0
    message = RegistrantMessage.objects.select_related("webinar").get(pk=message_id)
    registrations = (
        Registration.objects.filter(webinar_key=message.webinar_key).registered()
        .filter(user__is_active=True).select_related("user")
    )
    emails = []
    for registration in registrations:
        user = registration.user
        language = user.preferred_language or registration.language or settings.LANGUAGE_CODE
        with translation.override(language):
            page = _page_in(message.webinar, language)
            context = {
                "user": user, "message": message, "webinar": page,
                "url": absolute_url(page) or absolute_url(localized_path("/webinars/")),
            }
            body = render_to_string("webinars/email/registrant_message.txt", context)
        emails.append(mail.EmailMessage(
            settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + message.subject, body,
            settings.DEFAULT_FROM_EMAIL, [user.email],
        ))
    if emails:
        with mail.get_connection() as connection:
            connection.send_messages(emails)
    RegistrantMessage.objects.filter(pk=message_id).update(recipients=len(emails))
    return len(emails)
