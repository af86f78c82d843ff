"""The tenders layer packages export each name once (tenders/exports.py).

``tenders.services`` and ``tenders.selectors`` star-import their modules: a name two modules both
exported would silently be the last module's (two ``bids_received_count`` with different
signatures once were). The other layer packages re-export nothing but their modules.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections import Counter
from types import ModuleType

import pytest

from tenders.exports import exported_names

STAR_PACKAGES = ("tenders.services", "tenders.selectors")
LAYER_PACKAGES = (
    *STAR_PACKAGES,
    "tenders.views",
    "tenders.forms",
    "tenders.api",
    "tenders.serializers",
    "tenders.tasks",
)


def _modules(package: ModuleType) -> list[ModuleType]:
    return [
        importlib.import_module(f"{package.__name__}.{info.name}")
        for info in pkgutil.iter_modules(package.__path__)
        if not info.name.startswith("_")
    ]


@pytest.mark.parametrize("name", LAYER_PACKAGES)
def test_no_layer_package_exports_a_name_twice(name: str) -> None:
    package = importlib.import_module(name)
    exported = list(getattr(package, "__all__", []))
    assert [n for n, count in Counter(exported).items() if count > 1] == []


@pytest.mark.parametrize("name", STAR_PACKAGES)
def test_no_two_modules_of_a_star_package_export_the_same_name(name: str) -> None:
    package = importlib.import_module(name)
    modules = _modules(package)
    exported = Counter(n for module in modules for n in module.__all__)
    assert [n for n, count in exported.items() if count > 1] == []
    # Every module is re-exported, and each name is its own module's object, not a shadow.
    assert sorted(package.__all__) == sorted(exported)
    for module in modules:
        for n in module.__all__:
            assert getattr(package, n) is getattr(module, n), f"{name}.{n} is not {module.__name__}.{n}"
    assert not {m.__name__.rsplit(".", 1)[1] for m in modules} & set(exported), "a name hides a module"


def _module(name: str, exports: list[str]) -> ModuleType:
    module = ModuleType(name)
    module.__all__ = exports  # type: ignore[attr-defined]
    return module


def test_a_name_exported_twice_is_refused_at_import() -> None:
    first = _module("pkg.bids", ["bid_submit", "bids_received_count"])
    second = _module("pkg.opening", ["bids_received_count"])
    with pytest.raises(ImportError, match=r"bids_received_count \(pkg.bids, pkg.opening\)"):
        exported_names("pkg", first, second)


def test_names_exported_once_are_listed_in_order() -> None:
    assert exported_names("pkg", _module("pkg.a", ["x", "y"]), _module("pkg.b", ["z"])) == ["x", "y", "z"]
