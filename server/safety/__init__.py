"""The safety net: a local risk check and the support card shown when it fires.

`check_risk(text)` -> RiskResult (risk "none" | "possible" | "high", reasons);
`load_support(path=None)` -> SupportCard (the UK defaults, or EMPOWERER_SUPPORT_FILE).
No network and no model: the check is rules over `lexicon.yaml` (fixed patterns) and
`concepts.yaml` (concept families combined per sentence), each loaded once per process.
"""

from __future__ import annotations

from server.safety.check import RiskResult, check_risk
from server.safety.support import SupportCard, SupportService, load_support

__all__ = ["RiskResult", "SupportCard", "SupportService", "check_risk", "load_support"]
