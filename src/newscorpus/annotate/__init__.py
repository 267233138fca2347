"""The annotation bridge: a workspace's articles and labels <-> a Label Studio project.

- :mod:`.labels`: the workspace label set as a Label Studio labeling config (``<Text>`` only).
- :mod:`.results`: Label Studio results <-> :class:`~newscorpus.records.Annotation` records.
- :mod:`.client`: the connection (token from the environment or a token file, never argv).
- :mod:`.state`: the sync state kept in the workspace (``annotations/.labelstudio-state.json``).
- :mod:`.push` / :mod:`.pull`: tasks out, annotations back (idempotent, incremental).
- :mod:`.importer`: offline paths (Label Studio JSON export in, tasks file out).
- :mod:`.prelabel`: rule-based quote extractor and optional spaCy entity prelabeler.
- :mod:`.agreement` / :mod:`.adjudicate`: inter-annotator agreement and gold by policy.

Nothing here is imported by ``newscorpus`` itself; the Label Studio SDK is imported only by
the modules that talk to a server (install ``newscorpus[annotate]``).
"""
