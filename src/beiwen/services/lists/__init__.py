"""The three lists (需求清单、资源清单、项目清单): needs raised by enterprises and passed on
(转单) until answered, the resources the co-building units offer, and the projects that put
them together. `needs.py` (every step of a need is an event row, written by `_record`),
`resources.py`, `projects.py`, `matching.py` (which resources fit a need), `exchange.py`
(imports and exports)."""

from beiwen.services.lists.needs import add_need

__all__ = ["add_need"]
