"""Every public page type, checked for accessibility and HTML validity: the list the
accessibility statement reports (cress/accessibility.py)."""

from cress.accessibility import AUDITED_PAGES as PAGE_TYPES
from cress.accessibility import EMBEDDED_PAGES, LISTS

__all__ = ["PAGE_TYPES", "LISTS", "EMBEDDED_PAGES"]
