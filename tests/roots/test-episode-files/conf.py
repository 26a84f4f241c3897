extensions = ["sphinx_opsboundary"]
exclude_patterns = ["_build"]
opsboundary_episodes_file = "episodes.toml"
