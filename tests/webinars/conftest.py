import pytest

from tests.webinars import factories


@pytest.fixture
def agenda(home_page):
    return factories.agenda(home_page)


@pytest.fixture
def webinar(agenda):
    return factories.webinar(agenda)


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run on-commit callbacks (e-mails, events) of the enclosed block at its end."""

    def runner():
        return django_capture_on_commit_callbacks(execute=True)

    return runner
