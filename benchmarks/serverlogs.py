"""What went wrong, from the servers' own output: exceptions, 5xx and warnings, counted."""

import re
from collections import Counter

REQUEST_LOG = re.compile(
    r"^(Internal Server Error|Service Unavailable|Bad Gateway|Gateway Timeout): (\S+)"
)
CHAIN_MARKERS = ("During handling of the above exception", "The above exception was the direct")
ACCESS_LOG = re.compile(r'"(?:GET|POST|HEAD|WebSocket) (\S+)[^"]*" (\d{3})')
# Log lines that are neither access logs, tracebacks nor 5xx lines: the application's own
# warnings (why a 503 was answered, why a socket was closed, an event that was not sent).
NOT_A_MESSAGE = ("INFO:", "Traceback", "Internal Server Error", "Service Unavailable",
                 "During handling", "The above exception", "Leer y responder")


def summarize(paths, top=10, messages_in=("web-", "cafe-uvicorn")):
    """Count the final line of every traceback (the outermost exception of a chain),
    Django's "Internal Server Error: /path" lines, 5xx access-log lines and (in the logs
    whose name starts with ``messages_in``: not the worker's, full of console e-mail)
    the other lines the application logged."""
    exceptions = Counter()
    requests = Counter()
    statuses = Counter()
    messages = Counter()
    for path in paths:
        try:
            lines = path.read_text(errors="replace").splitlines()
        except OSError:
            continue
        own_messages = path.name.startswith(messages_in)
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
            if (own_messages and line and not in_traceback and not match and not access
                    and not line.startswith((" ", "\t", *NOT_A_MESSAGE))):
                messages[_normalise(line)[:200]] += 1
    return {
        "exceptions": exceptions.most_common(top),
        "django_5xx": requests.most_common(top),
        "access_5xx": statuses.most_common(top),
        "messages": messages.most_common(top),
    }


def _route(path):
    """Numbers in a path as <n>, so /cafe/debates/12/ and /cafe/debates/13/ count together."""
    return re.sub(r"/\d+(?=/|$)", "/<n>", path.split("?")[0])


def _normalise(line):
    """Ports, ids, addresses and paths of one kind counted together."""
    line = re.sub(r"0x[0-9a-f]+", "0x…", line)
    line = re.sub(r"serving \S+", "serving <path>", line)
    return re.sub(r"\d+(\.\d+)*", "N", line)


def count_in(path, text):
    try:
        return path.read_text(errors="replace").count(text)
    except OSError:
        return 0
