"""The code's shape: no two modules import each other, however indirectly.

The allowed imports between packages are import-linter contracts
(pyproject.toml, run by `make lint`); this adds what they cannot say.
"""

from graphlib import CycleError, TopologicalSorter

import grimp


def test_no_module_import_cycles():
    graph = grimp.build_graph("roadmap", "accounts", "config")
    imports = {module: graph.find_modules_directly_imported_by(module) for module in graph.modules}
    try:
        TopologicalSorter(imports).prepare()
    except CycleError as error:
        raise AssertionError(f"modules import each other: {' -> '.join(error.args[1])}") from None
