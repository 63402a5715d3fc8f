"""Query strings of the public lists, in one place: what a list's address keeps when it is
shared (its filters), and what only moves inside it (the page, the CSV format)."""

# Parameters that change how a list is shown, not what it holds.
LIST_CONTROLS = ("page", "format")


def filters_only(query):
    """A copy of ``query`` (a QueryDict) without the page number and the format."""
    query = query.copy()
    for name in LIST_CONTROLS:
        query.pop(name, None)
    return query


def with_params(query, **params):
    """``query`` (a QueryDict) encoded with ``params`` set (``None`` removes one)."""
    query = query.copy()
    for name, value in params.items():
        query.pop(name, None)
        if value is not None:
            query[name] = value
    return query.urlencode()
