"""`python -m beiwen.report_contract [PATH]` writes docs/report.schema.json."""

import sys

from beiwen.report_contract import main

if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
