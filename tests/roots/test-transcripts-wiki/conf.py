# The docs' invented episode, misquoted on purpose (the docs only quote it right).
# tests/test_transcripts.py copies docs/episodes.toml and docs/transcripts/ in.
extensions = ["sphinx_opsboundary", "myst_parser"]
project = "misquotes"
exclude_patterns = ["_build"]
opsboundary_episodes_file = "episodes.toml"
