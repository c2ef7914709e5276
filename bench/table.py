"""A `make bench` result as the Markdown tables of docs/performance.md.

python bench/table.py bench/results/<run>.json
"""

import json
import sys
from pathlib import Path


def markdown(report):
    lines = [
        "| page | cache | req/s | p50 ms | p99 ms | queries | bytes | served | / bare WSGI |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for mode, by_page in report["pages"].items():
        for name, f in by_page.items():
            lines.append(
                f"| {name} | {mode.removeprefix('cache ')} | {f['requests_per_second']:,.0f} "
                f"| {f['p50_ms']:.1f} | {f['p99_ms']:.1f} | {f['queries']} "
                f"| {f['bytes_per_response']:,} | {f.get('x_cache') or 'Django'} "
                f"| {f['share_of_floor']:.2f} |"
            )
    for name, f in report["references"].items():
        if isinstance(f, dict):
            lines.append(
                f"| *{name}* (post page's bytes) | | {f['requests_per_second']:,.0f} "
                f"| {f['p50_ms']:.1f} | {f['p99_ms']:.1f} | | {f['bytes_per_response']:,} | | |"
            )
    lines += ["", "| target | value | goal | |", "|---|---|---|---|"]
    lines += [
        f"| {t['target']} | {t['value']} | {t['goal']} | {'met' if t['met'] else '**missed**'} |"
        for t in report["targets"]
    ]
    rss = ", ".join(
        f"{mode}: {' / '.join(f'{mb:.0f}' for mb in workers.values())} MB"
        for mode, workers in report["worker_rss_mb"].items()
    )
    lines += ["", f"Worker RSS at the end ({rss}); bare WSGI / nginx req/s "
              f"{report['references']['floor_share_of_nginx']:.2f}; "
              f"data built in {report['data']['build_seconds']:,.0f} s; load average at the end "
              f"{report['machine'].get('load_average_at_end', 'not recorded')}."]  # fmt: skip
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown(json.loads(Path(sys.argv[1]).read_text())))
