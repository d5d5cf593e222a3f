"""The admin's document form: refuses fake PDFs and oversized files with a message."""

from django import forms
from wagtail.documents.forms import BaseDocumentForm

from allas_site.publications.services import PublicationError, check_document_upload


class DocumentForm(BaseDocumentForm):
    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        # Only a new upload is checked; an unchanged file is already in the library.
        if uploaded is not None and hasattr(uploaded, "content_type"):
            try:
                check_document_upload(uploaded)
            except PublicationError as error:
                raise forms.ValidationError(error.messages) from error
        return uploaded
