extensions = ["myst_parser", "sphinx_opsboundary"]
exclude_patterns = ["_build"]
opsboundary_episodes = {
    "conf-episode": {
        "title": "Conf Episode",
        "speakers": ["Ann"],
        "date": "2024-02-30",
        "urll": "https://example.org/x",
    },
    "conf-other": {
        "title": "Other",
        "speakers": ["Bo"],
        "date": "May 2024",
        "colour": "blue",
    },
}
