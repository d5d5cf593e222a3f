"""The project's URL fuzz (tests/test_fuzz_urls.py) on the consultations' URLs alone,
with the demo loaded, as a visitor, a member who has answered and an editor: hostile
path values, query strings and every form posted back with hostile values. Never a
500. (The project-wide fuzz covers them too; this one runs in a fraction of the time.)"""

import io

import pytest
from django.core.management import call_command
from django.test import Client

from tests import test_fuzz_urls

pytestmark = pytest.mark.django_db


def test_consultation_urls_never_answer_500(home_page, settings, monkeypatch):
    """As a visitor, a participant and an editor, on one demo (the slow part to build)."""
    from allas_site.accounts.models import User

    call_command("load_demo", stdout=io.StringIO())
    everything = test_fuzz_urls.page_urls

    def ours(families=None):
        plain, hostile = everything(families)
        return ([url for url in plain if "/consultas/" in url],
                [url for url in hostile if "/consultas/" in url])

    monkeypatch.setattr(test_fuzz_urls, "page_urls", ours)
    monkeypatch.setattr(test_fuzz_urls, "pattern_urls", lambda third_party=True: (
        ["/ws/consultas/1/resultados/"], []))
    accounts = {"participant": "participante01@allas.local", "editor": "editora@allas.local"}
    failures = []
    for role in ["visitor", "participant", "editor"]:
        client = Client(raise_request_exception=False)
        if role in accounts:
            client.force_login(User.objects.get(email=accounts[role]))
        fuzzer = test_fuzz_urls.fuzz_everything(client, settings, third_party=False)
        assert fuzzer.requests > 100, role
        failures += [f"[{role}] {failure}" for failure in fuzzer.failures]
    assert failures == [], "\n".join(failures[:40])
