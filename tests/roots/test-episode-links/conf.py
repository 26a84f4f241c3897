extensions = ["myst_parser", "sphinx_opsboundary"]
exclude_patterns = ["_build"]
project = "Episode links"
opsboundary_episodes = {
    "talk": {
        "title": "The Talk",
        "speakers": ["Ada Speaker"],
        "url": "https://www.youtube.com/watch?v=abc123",
    },
    "podcast": {
        "title": "The Podcast",
        "speakers": ["Bo Host"],
        "url": "https://example.org/episodes/podcast",
    },
    "offline": {"title": "The Offline Talk", "speakers": ["Cy Voice"]},
}
