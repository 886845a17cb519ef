"""beiwen: the toolkit of the Jialing Fengqing business-district Party committee, over one SQLite file."""

__version__ = "0.1.0"
