"""Facts of the real content that several test modules need."""

# The six actors of the source document, by slug.
SIX_ACTORS = sorted(
    [
        "coorace-basse-normandie",
        "uriopss",
        "urscop",
        "uraf",
        "fondation-caisse-d-epargne",
        "mutualite-francaise-du-calvados",
    ]
)
