from allauth.account.signals import email_confirmed
from django.dispatch import receiver

from allas_site.accounts import roles, services


@receiver(email_confirmed)
def make_confirmed_people_learners(request, email_address, **kwargs):
    # Every confirmed account is a Learner; nothing else is granted automatically.
    services.do_add_role(email_address.user, roles.LEARNERS)
