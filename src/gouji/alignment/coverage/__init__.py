"""Checks that also say whether they could judge their checklist item.

Each records on the context (``Context.record_coverage``) whether the document gave it
something to evaluate, so the checklist can tell 合格 from 无法判断 (checks.yaml:
``coverage: true``). Their words are data: ``data/coverage_checks.yaml``.

``prose`` reads the prose the way they share (sentences and clauses, definitions left out, an
amount stated for the document's own year); one module per check: ``sangong``
(``narrative.sangong_items``), ``jiguan`` (``narrative.jiguan_explained``), ``procurement``
(``table.procurement_sum``) and ``performance`` (``table.performance_within_projects``).
"""
