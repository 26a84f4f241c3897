extensions = ["myst_parser", "sphinx_opsboundary"]
project = "related-i18n"
exclude_patterns = ["_build"]
locale_dirs = ["locale"]
gettext_compact = False
