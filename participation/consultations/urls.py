"""Application routes; the Wagtail page tree serves the pages themselves."""

urlpatterns = []
