extensions = ["myst_parser", "sphinx_opsboundary"]
exclude_patterns = ["_build"]
opsboundary_episodes = {
    "evil": {
        "title": "<script>alert(1)</script>",
        "speakers": ["<img src=x onerror=alert(1)>"],
        "url": "javascript:alert(1)",
    },
    "data-url": {
        "title": "Data & <b>bold</b>",
        "speakers": ["Mallory"],
        "url": "data:text/html,<script>alert(2)</script>",
    },
}
