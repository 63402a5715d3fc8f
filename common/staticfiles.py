"""Static files as whitenoise serves them, less what is ours only: the manifest
(``staticfiles.json``, every file's fingerprinted name) stays on the server — the
pages name the files they need, nobody needs the list."""

from whitenoise.middleware import WhiteNoiseMiddleware

HIDDEN = ("staticfiles.json",)  # the manifest storage's ``manifest_name``


def hidden(url):
    return url.rsplit("/", 1)[-1] in HIDDEN


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    def add_file_to_dictionary(self, url, path, stat_cache=None):
        if not hidden(url):
            super().add_file_to_dictionary(url, path, stat_cache=stat_cache)

    def find_file(self, url):  # autorefresh (DEBUG) looks files up on each request
        return None if hidden(url) else super().find_file(url)
