"""beiwen: the toolkit of the Jialing Fengqing business-district Party committee.

One SQLite file holds the register of units, the rotation, work orders, grids, courses
and activities; `beiwen.cli` is the command line over it.
"""

__version__ = "0.1.0"
