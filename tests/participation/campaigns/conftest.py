import pytest

from tests.participation.campaigns import factories


@pytest.fixture
def campaign_index(home_page):
    return factories.index(home_page)


@pytest.fixture
def campaign(campaign_index):
    return factories.campaign(campaign_index)


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    def runner():
        return django_capture_on_commit_callbacks(execute=True)

    return runner
