from allauth.account.signals import email_confirmed
from django.dispatch import receiver

from courses import services


@receiver(email_confirmed, dispatch_uid="courses_accept_invitations")
def enrol_invited_people(request, email_address, **kwargs):
    # Invitations from a bulk enrolment become enrolments once the address is proven.
    services.do_accept_invitations(email_address.user, email_address.email)
