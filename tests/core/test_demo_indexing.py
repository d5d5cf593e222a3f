"""The demo loader indexes each object once, when it is built (search, Wagtail's
reference index and admin search), instead of at each of its saves."""

import pytest

from allas_site.core.demo import indexed_once
from search import indexing
from search import signals as search_signals
from tests import factories


@pytest.fixture
def refreshed(monkeypatch):
    calls = []
    real = indexing.refresh

    def counting(obj):
        calls.append((indexing.source_label(obj), obj.pk))
        return real(obj)

    monkeypatch.setattr(indexing, "refresh", counting)
    return calls


def test_an_object_saved_three_times_is_refreshed_once_at_the_end(db, refreshed):
    with indexed_once():
        expert = factories.expert()
        expert.display_name = "Renata Salgado"
        expert.save()
        expert.save()
        assert refreshed == []
    assert refreshed.count((indexing.source_label(expert), expert.pk)) == 1


def test_a_failed_block_indexes_nothing_and_leaves_indexing_immediate(db, refreshed):
    with pytest.raises(RuntimeError), search_signals.deferred():
        factories.expert()
        raise RuntimeError("the loader failed")
    assert refreshed == []
    expert = factories.expert()
    assert (indexing.source_label(expert), expert.pk) in refreshed


def test_the_reference_index_is_built_after_the_block(db, home_page):
    from wagtail.models import ReferenceIndex

    from community.models import CafeSession, Category

    category = Category.objects.filter(locale__language_code="es").first() or (
        Category.objects.create(name="Debates", slug="debates")
    )
    with indexed_once():
        from django.utils import timezone

        now = timezone.now()
        session = CafeSession.objects.create(
            title="Café de prueba", category=category, opens_at=now,
            closes_at=now + timezone.timedelta(hours=1), cuaderno=home_page,
        )
        assert not ReferenceIndex.get_references_for_object(session).exists()
    assert ReferenceIndex.get_references_for_object(session).filter(
        to_object_id=str(home_page.pk)).exists()
