import pytest

from tests.courses import factories


@pytest.fixture
def catalogue(home_page):
    return factories.catalogue(home_page)


@pytest.fixture
def course(catalogue):
    return factories.course(catalogue)


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run on-commit callbacks (e-mails, events) of the enclosed block at its end."""

    def runner():
        return django_capture_on_commit_callbacks(execute=True)

    return runner
