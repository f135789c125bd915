"""The SIECLE export of the demo lycée (UAI 0061234A), to try the roster import on the demo data: the
pupils of seed_demo, with 4 newcomers, 3 leavers (2 with an exit date, 1 gone from the file), 1 change
of class, and 2 pupils SIECLE lists that are not imported (no INE, « Inactifs »).

Rebuild it after a change of seed_demo's roster with `.venv/bin/python students/demo/build.py`.
"""

from pathlib import Path

DEMO_SIECLE_FILE = Path(__file__).resolve().parent / "ExportXML_ElevesSansAdresses.zip"
