extensions = ["myst_parser", "sphinx_opsboundary"]
exclude_patterns = ["_build"]
project = "Episodes"
opsboundary_episodes = {
    "mlops-at-scale": {
        "title": "MLOps at Scale",
        "speakers": ["Raphaël Hoogvliets", "Demetrios Brinkmann"],
        "url": "https://www.youtube.com/watch?v=abc123",
        "series": "MLOps Community",
        "date": "2024-05-02",
        "duration": "1:04:10",
        "kind": "podcast",
    },
}
opsboundary_episodes_file = "episodes.toml"
myst_enable_extensions = ["colon_fence"]
version = "1.0"
copyright = "2025, Episodes"
