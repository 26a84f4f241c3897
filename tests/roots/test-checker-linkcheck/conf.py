extensions = ["myst_parser", "sphinx_opsboundary"]
project = "linkcheck"
linkcheck_timeout = 5
linkcheck_retries = 1
