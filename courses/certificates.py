"""The certificate as a PDF (fpdf2, pure Python) set in Source Sans Pro, a freely
licensed (SIL OFL) font embedded from its Python package: the core PDF fonts cover
Latin-1 only and failed on the ’ – “ ” … € that phone keyboards type, and on Greek,
Cyrillic or Central European names. Nothing is read from the system or downloaded."""

from pathlib import Path

import font_source_sans_pro
from django.utils import formats, translation
from django.utils.translation import gettext as _
from fpdf import FPDF

BLUE = (18, 60, 105)
BRICK = (178, 58, 18)
INK = (27, 31, 36)
MUTED = (72, 82, 94)
FONT = "SourceSans"
FONT_DIR = Path(font_source_sans_pro.font_directory)
FONT_FILES = {"": "SourceSansPro-Regular.ttf", "B": "SourceSansPro-Bold.ttf"}


def pdf_text(text):
    """Text as the font can set it: control characters (a pasted tab or newline in a
    name) become spaces."""
    return "".join(" " if ord(char) < 32 or 127 <= ord(char) < 160 else char
                   for char in str(text))


def render_certificate_pdf(certificate, verify_url, language=None):
    language = language or translation.get_language()
    with translation.override(language):
        pdf = FPDF(orientation="landscape", unit="mm", format="A4")
        for style, filename in FONT_FILES.items():
            pdf.add_font(FONT, style, FONT_DIR / filename)
        pdf.set_title(pdf_text(_("Certificado %(code)s") % {"code": certificate.code}))
        pdf.set_author("AL-LAs Campus")
        pdf.set_creator("AL-LAs Campus")
        pdf.set_auto_page_break(False)
        pdf.add_page()
        width = pdf.w

        pdf.set_draw_color(*BLUE)
        pdf.set_line_width(1.2)
        pdf.rect(10, 10, width - 20, pdf.h - 20)
        pdf.set_draw_color(*BRICK)
        pdf.set_line_width(0.4)
        pdf.rect(14, 14, width - 28, pdf.h - 28)

        def line(text, size, *, style="", color=INK, top=None, height=10):
            if top is not None:
                pdf.set_y(top)
            pdf.set_font(FONT, style, size)
            pdf.set_text_color(*color)
            pdf.set_x(20)
            pdf.multi_cell(width - 40, height, pdf_text(text), align="C")

        participation = certificate.is_participation
        line("AL-LAs Campus", 14, style="B", color=BRICK, top=28)
        line(_("Certificado de participación") if participation
             else _("Certificado de aprovechamiento"), 30, style="B", color=BLUE, top=42,
             height=14)
        line(_("Se certifica que"), 14, color=MUTED, top=68)
        line(certificate.learner_name, 28, style="B", top=80, height=14)
        line(_("ha participado en el evento") if participation
             else _("ha completado el curso"), 14, color=MUTED, top=100)
        line(certificate.course_title, 20, style="B", color=BLUE, top=110, height=11)
        # The same date and format as the certificate's web page (Certificate.issued_on).
        issued = formats.date_format(certificate.issued_on, "DATE_FORMAT")
        if participation:
            held = formats.date_format(certificate.held_on or certificate.issued_on,
                                       "DATE_FORMAT")
            text = _("celebrado el %(held)s. Emitido el %(date)s.") % {
                "held": held, "date": issued}
        else:
            text = _("con una duración de %(hours)s horas, el %(date)s.") % {
                "hours": certificate.hours, "date": issued}
        line(text, 13, color=INK, top=138)
        line(_("Código de verificación: %(code)s") % {"code": certificate.code}, 12,
             style="B", top=160, height=8)
        line(_("Compruébalo en %(url)s") % {"url": verify_url}, 10, color=MUTED, height=7)
        pdf.link(20, 168, width - 40, 7, verify_url)
        return bytes(pdf.output())
