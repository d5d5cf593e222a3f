import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from allas_site.accounts import roles

PASSWORD = "una-contraseña-segura-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"persona{n}@ciudad.example")
    display_name = factory.Faker("name", locale="es_MX")
    organisation = "Ayuntamiento de Ejemplo"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)
            obj.save()

    @factory.post_generation
    def roles(obj, create, extracted, **kwargs):
        if create and extracted:
            for name in extracted:
                obj.groups.add(Group.objects.get_or_create(name=name)[0])


def learner(**kwargs):
    return UserFactory(roles=[roles.LEARNERS], **kwargs)


def expert(**kwargs):
    return UserFactory(roles=[roles.LEARNERS, roles.EXPERTS], **kwargs)


def moderator(**kwargs):
    return UserFactory(roles=[roles.LEARNERS, roles.MODERATORS], **kwargs)


def editor(**kwargs):
    return UserFactory(roles=[roles.LEARNERS, roles.EDITORS], **kwargs)
