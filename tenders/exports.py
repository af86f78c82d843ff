"""What a layer package (``tenders.services``, ``tenders.selectors``) re-exports from its modules.

A package that star-imports its modules takes, for a name two modules both export, whichever
module was imported last, silently. :func:`exported_names` refuses that at import time instead.
No Django imports.
"""

from __future__ import annotations

from collections import Counter
from types import ModuleType

__all__ = ["exported_names"]


def exported_names(package: str, *modules: ModuleType) -> list[str]:
    """Every name in the modules' ``__all__``, in order; ImportError if two modules export the same name."""
    names = [name for module in modules for name in module.__all__]
    twice = sorted(name for name, count in Counter(names).items() if count > 1)
    if twice:
        owners = {name: [m.__name__ for m in modules if name in m.__all__] for name in twice}
        listed = "; ".join(f"{name} ({', '.join(owners[name])})" for name in twice)
        raise ImportError(f"{package} would export a name twice, and only the last would count: {listed}")
    return names
