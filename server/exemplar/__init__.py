"""The program as mentor: an empowerer exemplar conversation for any scenario and framework,
coded, scored and annotated stage by stage (pure: no I/O)."""

from __future__ import annotations

from server.exemplar.run import Exemplar, MoveNote, StageAnnotation, exemplar_json, run_exemplar

__all__ = ["Exemplar", "MoveNote", "StageAnnotation", "exemplar_json", "run_exemplar"]
