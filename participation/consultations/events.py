"""Group names of the consultation sockets (one helper per name).

Events (server → client): ``results.changed`` ``{id, seq}`` — the results of the
consultation changed (a submission, an edit, a deletion, a moderated text); ``id`` is
the response it is about (0 when none), ``seq`` the consultation's change number.
"""


def consultation_group(consultation_id):
    """Everyone watching the consultation's results (they passed the access check)."""
    return f"consultations.{int(consultation_id)}"
