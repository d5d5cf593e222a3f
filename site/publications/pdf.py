"""A tiny, valid PDF writer for generated editions (demo content, tests).

One A4 page of Helvetica text; enough for a real file that any reader opens.
"""

import textwrap


def _escape(text):
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(title, lines=(), *, author="AL-LAs"):
    """Return the bytes of a one-page PDF with ``title`` and wrapped ``lines``."""
    content = ["BT", "/F1 20 Tf", "56 780 Td", "24 TL"]
    for chunk in textwrap.wrap(title, 44) or [""]:
        content.append(f"({_escape(chunk)}) Tj T*")
    content += ["/F1 11 Tf", "15 TL", "T*"]
    for line in lines:
        for chunk in textwrap.wrap(line, 88) or [""]:
            content.append(f"({_escape(chunk)}) Tj T*")
    content.append("ET")
    stream = "\n".join(content).encode("cp1252", errors="replace")
    info = f"<< /Title ({_escape(title)}) /Author ({_escape(author)}) >>".encode(
        "cp1252", errors="replace"
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        info,
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info 6 0 R >>\n"
        f"startxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(out)
