"""Draw the network map's outline: site/static/img/network-map.svg (Latin America and Europe).

For developers only; the site serves the committed SVG and neither `make run` nor `make test`
runs this. The land comes from Natural Earth's 1:110m countries (public domain), as shipped
inside the geopandas 0.14 wheel (its last release that carried the data); it is read with
pyshp, so neither geopandas nor its dependencies are imported. In a throwaway environment:

    python3 -m venv /tmp/mapenv
    /tmp/mapenv/bin/pip install pyshp
    /tmp/mapenv/bin/pip install --no-deps "geopandas==0.14.4"
    /tmp/mapenv/bin/python scripts/build_network_map.py

or pass `--shapefile PATH/ne_110m_admin_0_countries.shp` from a Natural Earth download.
The projection is site/partners/map.py's, loaded by path, so the server's markers land on
the same coordinates as this outline.
"""

import argparse
import importlib.machinery
import importlib.metadata
import importlib.util
import math
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "site" / "static" / "img" / "network-map.svg"
DATASET = "geopandas/datasets/naturalearth_lowres/naturalearth_lowres.shp"

# Latin America: South America plus Mexico, Central America and the Caribbean, which
# Natural Earth files under North America.
NOT_LATIN_AMERICA = {"USA", "CAN", "GRL"}
FOCUS_FILL = "#3d6a9e"
CONTEXT_FILL = "#1f4470"
BORDER = "#0b2545"
TOLERANCE = 1.0  # viewBox units: Douglas-Peucker's allowed error
MIN_AREA = 6.0  # square viewBox units: smaller islands disappear at this scale
PAD = 4.0  # clip a little beyond the viewBox so clipped edges' strokes stay outside


def load_projection():
    path = ROOT / "site" / "partners" / "map.py"
    loader = importlib.machinery.SourceFileLoader("network_map_projection", str(path))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def default_shapefile():
    try:
        return Path(importlib.metadata.distribution("geopandas").locate_file(DATASET))
    except importlib.metadata.PackageNotFoundError:
        raise SystemExit(
            "Natural Earth not found: install geopandas 0.14.4 (see this script's "
            "docstring) or pass --shapefile."
        ) from None


def clip(ring, left, top, right, bottom):
    """Sutherland-Hodgman against the rectangle: a closed ring stays a closed ring."""
    edges = [
        (lambda p: p[0] >= left, lambda a, b: _at_x(a, b, left)),
        (lambda p: p[0] <= right, lambda a, b: _at_x(a, b, right)),
        (lambda p: p[1] >= top, lambda a, b: _at_y(a, b, top)),
        (lambda p: p[1] <= bottom, lambda a, b: _at_y(a, b, bottom)),
    ]
    for inside, cross in edges:
        if not ring:
            break
        out = []
        prev = ring[-1]
        for point in ring:
            if inside(point):
                if not inside(prev):
                    out.append(cross(prev, point))
                out.append(point)
            elif inside(prev):
                out.append(cross(prev, point))
            prev = point
        ring = out
    return ring


def _at_x(a, b, x):
    t = (x - a[0]) / (b[0] - a[0])
    return (x, a[1] + t * (b[1] - a[1]))


def _at_y(a, b, y):
    t = (y - a[1]) / (b[1] - a[1])
    return (a[0] + t * (b[0] - a[0]), y)


def simplify(points, tolerance):
    """Douglas-Peucker on an open polyline (iterative: rings have thousands of points)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        ax, ay = points[first]
        bx, by = points[last]
        length = math.hypot(bx - ax, by - ay)
        worst, index = 0.0, None
        for i in range(first + 1, last):
            px, py = points[i]
            if length:
                d = abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / length
            else:
                d = math.hypot(px - ax, py - ay)
            if d > worst:
                worst, index = d, i
        if index is not None and worst > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def area(ring):
    following = ring[1:] + ring[:1]
    return abs(sum(ax * by - bx * ay for (ax, ay), (bx, by) in zip(ring, following, strict=True)))


def path_data(rings):
    """Integer coordinates, relative moves: the smallest text a browser draws the same."""
    out = []
    for ring in rings:
        pts = []
        for x, y in ring:
            p = (round(x), round(y))
            if not pts or p != pts[-1]:
                pts.append(p)
        if len(pts) > 1 and pts[0] == pts[-1]:
            pts.pop()
        if len(pts) < 3:
            continue
        (x0, y0), rest = pts[0], pts[1:]
        steps = []
        px, py = x0, y0
        for x, y in rest:
            steps.append(f"{x - px} {y - py}")
            px, py = x, y
        out.append(f"M{x0} {y0}l" + " ".join(steps).replace(" -", "-") + "z")
    return "".join(out)


def build(shapefile):
    import shapefile as pyshp  # pyshp: only this script needs it

    projection = load_projection()
    width, height = projection.VIEWBOX_WIDTH, projection.VIEWBOX_HEIGHT
    layers = {"context": [], "focus": []}
    reader = pyshp.Reader(str(shapefile))
    fields = [f[0] for f in reader.fields[1:]]
    for shape_record in reader.iterShapeRecords():
        record = dict(zip(fields, shape_record.record, strict=True))
        continent, iso = record.get("continent"), record.get("iso_a3")
        focus = continent in ("Europe", "South America") or (
            continent == "North America" and iso not in NOT_LATIN_AMERICA
        )
        shape = shape_record.shape
        bounds = list(shape.parts) + [len(shape.points)]
        for start, end in zip(bounds, bounds[1:], strict=False):
            ring = [projection.project(lat, lon) for lon, lat in shape.points[start:end]]
            ring = clip(ring, -PAD, -PAD, width + PAD, height + PAD)
            if len(ring) < 3 or area(ring) / 2 < MIN_AREA:
                continue
            ring = simplify(ring + ring[:1], TOLERANCE)[:-1]
            layers["focus" if focus else "context"].append(ring)
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}">'
        "<!-- Land: Natural Earth 1:110m countries (public domain), "
        "drawn by scripts/build_network_map.py -->"
        f'<g stroke="{BORDER}" stroke-width="1" stroke-linejoin="round">'
        f'<path fill="{CONTEXT_FILL}" d="{path_data(layers["context"])}"/>'
        f'<path fill="{FOCUS_FILL}" d="{path_data(layers["focus"])}"/>'
        "</g></svg>\n"
    )
    return svg


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shapefile", type=Path, help="Natural Earth countries .shp")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    svg = build(args.shapefile or default_shapefile())
    args.output.write_text(svg, encoding="utf-8")
    print(f"{args.output.relative_to(ROOT)}: {len(svg.encode()) / 1024:.1f} KB")


if __name__ == "__main__":
    main()
