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


def query_parameters(*names):
    """Declares the query parameters a function view reads (``@query_parameters("page")``):
    any other one leads, for visitors, to the same address without it (common/cache.py),
    so that a public page has a bounded number of addresses to cache."""

    def declare(view):
        view.query_parameters = frozenset(names)
        return view

    return declare


def parameters_of(view):
    """The parameters ``view`` (a resolved view function) reads, or None when it does not
    say: declared with ``query_parameters``, or, for a filtered list (``filterset_class``),
    its filters, the page and the format."""
    declared = getattr(view, "query_parameters", None)
    if declared is not None:
        return declared
    view_class = getattr(view, "view_class", None)
    filterset_class = getattr(view_class, "filterset_class", None)
    if filterset_class is not None:
        return frozenset(filterset_class.base_filters) | frozenset(LIST_CONTROLS)
    return None
