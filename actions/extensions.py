"""Extension points of the pages of ``actions``.

``actions`` never imports the apps above it, yet a programme's or an action's page shows
what they add (the « Signaler une erreur » link of ``suggestions``: ``suggestions/links.py``).
They register here, in their ``AppConfig.ready()``:

- ``programme_sections``: functions ``(request, programme) -> dict`` merged into the
  context of the programme page (``actions/views.py``,
  ``templates/actions/programme_detail.html``);
- ``action_sections``: the same for the action page (``templates/actions/action_detail.html``).
"""

programme_sections = []
action_sections = []
