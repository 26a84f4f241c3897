"""A probe directive and role that report lines through the diagnostics helpers."""

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from sphinx_opsboundary import diagnostics

extensions = ["sphinx_opsboundary", "myst_parser"]
myst_enable_extensions = ["colon_fence"]
exclude_patterns = ["_build"]


class Probe(SphinxDirective):
    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True
    option_spec = {"at": directives.unchanged, "end": directives.unchanged}

    def run(self):
        diagnostics.warn("directive here", "syntax", diagnostics.directive_location(self))
        for option in self.options:
            diagnostics.warn(f"option {option}", "syntax", diagnostics.option_line(self, option))
        for index, text in enumerate(self.content):
            if text.strip():
                location = diagnostics.content_line(self, index)
                diagnostics.warn(f"body {text.strip()}", "syntax", location)
        return []


def probe_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    location = diagnostics.role_location(inliner, lineno, rawtext, name, text)
    diagnostics.warn(f"role {text}", "syntax", location)
    return [nodes.Text(text)], []


def setup(app):
    app.add_directive("probe", Probe)
    app.add_role("probe", probe_role)
