extensions = ["myst_parser", "sphinx_opsboundary"]
project = "related"
exclude_patterns = ["_build", "drafts/*"]
opsboundary_redirects = {
    "old-page": "mlops",
    "chain-1": "chain-2",
    "chain-2": "dataops",
    "loop-a": "loop-b",
    "loop-b": "loop-a",
}
opsboundary_reciprocal = ["recip/*"]
