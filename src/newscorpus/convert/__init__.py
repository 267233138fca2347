"""Converters: raw inputs in, normalized Article records out.

Each format is one module registered by name (see :mod:`newscorpus.convert.registry`);
:func:`newscorpus.convert.batch.convert_paths` runs converters over files and folders.
"""
