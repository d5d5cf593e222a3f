"""What went wrong, from the servers' own output: exceptions and 5xx log lines, counted."""

import re
from collections import Counter

REQUEST_LOG = re.compile(
    r"^(Internal Server Error|Service Unavailable|Bad Gateway|Gateway Timeout): (\S+)"
)
CHAIN_MARKERS = ("During handling of the above exception", "The above exception was the direct")
ACCESS_LOG = re.compile(r'"(?:GET|POST|HEAD|WebSocket) (\S+)[^"]*" (\d{3})')


def summarize(paths, top=10):
    """Count the final line of every traceback (the outermost exception of a chain) and
    Django's "Internal Server Error: /path" lines in the given log files."""
    exceptions = Counter()
    requests = Counter()
    statuses = Counter()
    for path in paths:
        try:
            lines = path.read_text(errors="replace").splitlines()
        except OSError:
            continue
        in_traceback = False
        last = None  # the last exception line recorded, replaced when a chain continues
        for line in lines:
            if line.startswith("Traceback (most recent call last)"):
                in_traceback = True
                continue
            if line.startswith(CHAIN_MARKERS) and last is not None:
                exceptions[last] -= 1  # the cause: keep only the exception that escaped
                if exceptions[last] <= 0:
                    del exceptions[last]
                last = None
                continue
            if in_traceback and line.strip() and not line.startswith((" ", "\t")):
                last = line.strip()[:300]
                exceptions[last] += 1
                in_traceback = False
                continue
            match = REQUEST_LOG.match(line.strip())
            if match:
                requests[f"{match.group(1)}: {_route(match.group(2))}"] += 1
            access = ACCESS_LOG.search(line)
            if access and access.group(2)[0] == "5":
                statuses[f"{access.group(2)} {_route(access.group(1))}"] += 1
    return {
        "exceptions": exceptions.most_common(top),
        "django_5xx": requests.most_common(top),
        "access_5xx": statuses.most_common(top),
    }


def _route(path):
    """Numbers in a path as <n>, so /cafe/debates/12/ and /cafe/debates/13/ count together."""
    return re.sub(r"/\d+(?=/|$)", "/<n>", path.split("?")[0])


def count_in(path, text):
    try:
        return path.read_text(errors="replace").count(text)
    except OSError:
        return 0
