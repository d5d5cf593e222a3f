"""The network map's geometry: where a latitude and longitude fall in the map's viewBox.

The outline (``static/img/network-map.svg``) is drawn by ``scripts/build_network_map.py``
with this module's ``project``, and the server places the partner cities with the same
function, so both agree to the unit. The module imports nothing from Django: the script
loads it by path, outside the project's environment.

The projection is the Natural Earth projection (Šavrič, Jenny, Patterson, Petrovič and
Hurni, 2011): pseudo-cylindrical like Robinson's, with polynomials rather than a table.
It is centred on the Atlantic and cropped to Latin America and Europe.
"""

import math
from dataclasses import dataclass, replace

# The Atlantic sits in the middle, between Mexico's Pacific coast and eastern Europe.
CENTRAL_MERIDIAN = -38.0
VIEWBOX_WIDTH = 1000
# What must be on the map (latitude, longitude): the crop is the box around these points.
_FRAME = [
    (32.5, -118.0),  # Tijuana: Mexico's north-west corner
    (-56.0, -68.0),  # Cape Horn
    (-34.0, -52.0),  # Uruguay's Atlantic coast
    (71.5, 26.0),  # the North Cape
    (56.0, 42.0),  # east of Moscow
    (35.0, 36.0),  # the eastern Mediterranean
]
_MARGIN = 0.03  # of the frame's width, on every side


def _natural_earth(lat, lon):
    """Unscaled Natural Earth x, y (north up, so y grows northwards)."""
    phi = math.radians(lat)
    # No wrapping at the antimeridian: what lies beyond it is far outside the crop anyway,
    # and unwrapped rings (Russia, Antarctica) stay continuous for the outline's clipping.
    lam = math.radians(lon - CENTRAL_MERIDIAN)
    p2 = phi * phi
    p4 = p2 * p2
    x = lam * (0.870700 - 0.131979 * p2 - 0.013791 * p4 + 0.003971 * p4 * p4 * p2
               - 0.001529 * p4 * p4 * p4)
    y = phi * (1.007226 + 0.015085 * p2 - 0.044475 * p4 * p2 + 0.028874 * p4 * p4
               - 0.005916 * p4 * p4 * p2)
    return x, y


def _frame():
    points = [_natural_earth(lat, lon) for lat, lon in _FRAME]
    xs = [x for x, _y in points]
    ys = [y for _x, y in points]
    margin = (max(xs) - min(xs)) * _MARGIN
    left, right = min(xs) - margin, max(xs) + margin
    bottom, top = min(ys) - margin, max(ys) + margin
    scale = VIEWBOX_WIDTH / (right - left)
    return left, top, scale, round((top - bottom) * scale)


_LEFT, _TOP, _SCALE, VIEWBOX_HEIGHT = _frame()


def project(lat, lon):
    """``(x, y)`` in the map's viewBox (y grows downwards, as in SVG), to a tenth of a unit.
    Points outside the crop get coordinates outside ``0..VIEWBOX_WIDTH/HEIGHT``."""
    x, y = _natural_earth(lat, lon)
    return round((x - _LEFT) * _SCALE, 1), round((_TOP - y) * _SCALE, 1)


def in_view(x, y):
    return 0 <= x <= VIEWBOX_WIDTH and 0 <= y <= VIEWBOX_HEIGHT


@dataclass(frozen=True)
class Marker:
    name: str
    place: str
    url: str
    x: float
    y: float
    # The name's side: left of the marker (text-anchor end) or right of it.
    label_end: bool
    # The name's baseline below ``y``, in em so it follows the label's font size (the
    # stylesheet's size depends on the map and the screen).
    label_dy: str = "0.35em"

    @property
    def label_x(self):
        return round(self.x - _LABEL_GAP if self.label_end else self.x + _LABEL_GAP, 1)


# Partners in one city (a network and its host city) would hide each other's marker:
# such markers are spread on a small circle around the city, in a stable order.
_CLOSE = 24.0
_SPREAD = 16.0
_LABEL_GAP = 24.0

# Label placement is computed for the largest drawing in network-map.css (phones: names
# at 42 units with a 10-unit halo, dots of radius 13). A name that is clear there is
# clear at the smaller sizes too: its box shrinks towards the side it is anchored to.
_FONT = 42.0
_HALO = 5.0
_DOT = 13.0 + 2.0
# Baseline shifts tried, in em: level with the dot, then a line above, then one below.
_SHIFTS = (0.35, -0.45, 1.15)
# Above and below the baseline, in em (measured on the bold sans-serif of the site).
_ASCENT, _DESCENT = 0.93, 0.28


def _text_width(text):
    """A generous estimate, in em, of a name's width in the bold sans-serif of the site
    (capitals are wider; the browser test measures the real boxes)."""
    return sum(0.33 if c == " " else 0.8 if c.isupper() else 0.64 for c in text)


def _label_box(marker, end, shift):
    width = _text_width(marker.name) * _FONT
    if end:
        right = marker.x - _LABEL_GAP
        left = right - width
    else:
        left = marker.x + _LABEL_GAP
        right = left + width
    baseline = marker.y + shift * _FONT
    return (left - _HALO, baseline - _ASCENT * _FONT - _HALO,
            right + _HALO, baseline + _DESCENT * _FONT + _HALO)


def _overlaps(box, other):
    return box[0] < other[2] and other[0] < box[2] and box[1] < other[3] and other[1] < box[3]


def _covers_dot(box, marker):
    nearest_x = max(box[0], min(marker.x, box[2]))
    nearest_y = max(box[1], min(marker.y, box[3]))
    return math.dist((nearest_x, nearest_y), (marker.x, marker.y)) < _DOT


def _place_labels(markers):
    """Each name beside its marker where it covers no other marker, stays inside the map
    and, if possible, clears the names placed before it (one shows at a time, on hover or
    focus, but a pointer and the keyboard can show two). Tried in order: towards the
    Atlantic (right of the Americas, left of Europe), the other side, then each side a
    line higher and lower. Same markers, same placement."""
    placed_boxes = []
    result = []
    for marker in markers:
        towards_atlantic = marker.x > VIEWBOX_WIDTH / 2
        options = [
            (end, shift)
            for shift in _SHIFTS
            for end in (towards_atlantic, not towards_atlantic)
        ]
        fitting = []
        for end, shift in options:
            box = _label_box(marker, end, shift)
            inside = box[0] >= 0 and box[1] >= 0 and box[2] <= VIEWBOX_WIDTH and (
                box[3] <= VIEWBOX_HEIGHT
            )
            if inside and not any(_covers_dot(box, other) for other in markers
                                  if other is not marker):
                fitting.append((end, shift, box))
        clear = [f for f in fitting if not any(_overlaps(f[2], b) for b in placed_boxes)]
        end, shift, box = (clear or fitting or [(towards_atlantic, _SHIFTS[0], None)])[0]
        if box is not None:
            placed_boxes.append(box)
        result.append(replace(marker, label_end=end, label_dy=f"{shift:g}em"))
    return result


def _spread(group):
    """Markers of one crowded spot on a circle around its centre, each on the side where
    it really lies (Montevideo east of Buenos Aires); those at the very same place, or too
    close in angle, evenly spaced in that order."""
    if len(group) == 1:
        return group
    cx = sum(x for x, _y, _p in group) / len(group)
    cy = sum(y for _x, y, _p in group) / len(group)
    ordered = sorted(
        (math.atan2(y - cy, x - cx) if math.dist((x, y), (cx, cy)) > 0.5 else -math.pi / 2,
         n, partner)
        for n, (x, y, partner) in enumerate(group)
    )
    step = 2 * math.pi / len(group)
    angles = [angle for angle, _n, _p in ordered]
    gaps = [b - a for a, b in zip(angles, angles[1:] + [angles[0] + 2 * math.pi], strict=True)]
    if min(gaps) < step * 0.8:
        angles = [angles[0] + step * i for i in range(len(group))]
    return [
        (round(cx + _SPREAD * math.cos(angle), 1), round(cy + _SPREAD * math.sin(angle), 1),
         partner)
        for angle, (_a, _n, partner) in zip(angles, ordered, strict=True)
    ]


def place_markers(partners):
    """One marker per partner with coordinates inside the map, from objects with ``name``,
    ``city``, ``latitude``, ``longitude`` and ``url``. Same input, same drawing."""
    placed = []
    for partner in partners:
        if partner.latitude is None or partner.longitude is None:
            continue
        x, y = project(partner.latitude, partner.longitude)
        if in_view(x, y):
            placed.append((x, y, partner))
    placed.sort(key=lambda row: (row[0], row[1], row[2].name))
    groups = []
    for x, y, partner in placed:
        group = next(
            (g for g in groups if math.dist(g[0][:2], (x, y)) < _CLOSE), None
        )
        if group is None:
            groups.append([(x, y, partner)])
        else:
            group.append((x, y, partner))
    markers = []
    for group in groups:
        for x, y, partner in _spread(group):
            markers.append(
                Marker(
                    name=partner.name,
                    place=partner.city if partner.city and partner.city != partner.name else "",
                    url=partner.url,
                    x=x,
                    y=y,
                    label_end=x > VIEWBOX_WIDTH / 2,
                )
            )
    return _place_labels(markers)
