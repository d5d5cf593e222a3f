import pytest

from tests.participation.consultations import factories


@pytest.fixture
def consultations_index(home_page):
    return factories.index(home_page)


@pytest.fixture
def consultation(consultations_index):
    return factories.consultation(consultations_index)


@pytest.fixture
def closed_consultation(consultations_index):
    return factories.consultation(consultations_index, state="closed")


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    def runner():
        return django_capture_on_commit_callbacks(execute=True)

    return runner
