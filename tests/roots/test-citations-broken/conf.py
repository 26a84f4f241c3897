extensions = ["myst_parser", "sphinx_opsboundary"]
exclude_patterns = ["_build"]
project = "Broken citations"
opsboundary_episodes = {
    "mlops-at-scale": {
        "title": "Serving Models at Scale",
        "speakers": ["Dana Brink"],
        "url": "https://www.youtube.com/watch?v=abc123",
        "duration": "1:04:10",
    },
}
