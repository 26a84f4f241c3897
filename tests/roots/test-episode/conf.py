extensions = ["myst_parser", "sphinx_opsboundary"]
exclude_patterns = ["_build"]
project = "Episodes"
opsboundary_episodes = {
    "mlops-at-scale": {
        "title": "Serving Models at Scale",
        "speakers": ["Raphaëlle Hoogstra", "Dana Brink"],
        "url": "https://www.youtube.com/watch?v=abc123",
        "series": "Model Talks",
        "date": "2024-05-02",
        "duration": "1:04:10",
        "kind": "podcast",
    },
}
opsboundary_episodes_file = "episodes.toml"
myst_enable_extensions = ["colon_fence"]
version = "1.0"
copyright = "2025, Episodes"
