"""Converters: raw inputs in, normalized Article records out.

Each format is one module registered by name (see :mod:`newscorpus.convert.registry`);
:func:`newscorpus.convert.batch.convert_paths` runs converters over files and folders.

The package is also the public function ``newscorpus.convert(inputs, ...)``
(:func:`newscorpus.api.convert`): calling it converts files and folders the way
``newscorpus convert`` does, while ``newscorpus.convert.<format>`` stays the package of
converters.
"""

from __future__ import annotations

import sys
import types
from typing import Any


class _CallablePackage(types.ModuleType):
    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from ..api import convert

        return convert(*args, **kwargs)


sys.modules[__name__].__class__ = _CallablePackage
