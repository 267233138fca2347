"""A full pull runs with the cyclic garbage collector off, and puts it back as it was."""

from __future__ import annotations

import gc

import pytest

from newscorpus.annotate.pull import _no_cyclic_gc


def test_gc_is_off_inside_and_restored_after() -> None:
    assert gc.isenabled()
    with _no_cyclic_gc():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_gc_restored_after_an_error() -> None:
    with pytest.raises(RuntimeError), _no_cyclic_gc():
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_gc_left_off_when_it_was_off() -> None:
    gc.disable()
    try:
        with _no_cyclic_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
