"""The accessibility capture: axe-core on each notice, the keyboard walk to the opt-out, the opt-out link's contrast.

- ``axe``: the pinned axe-core, injected and scoped to one notice (WCAG 2.1 A and AA rules only).
- ``keyboard``: the opt-out with the keyboard alone, as a step log.
- ``gather``: the gatherer that runs both on the notices the earlier gatherers found.
"""

from auditor.capture.accessibility.gather import gather_accessibility

__all__ = ["gather_accessibility"]
