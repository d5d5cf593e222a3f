"""What a measurement receives and returns."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class BenchContext:
    env: dict  # environment for servers and management commands
    servers: list  # servers.Server objects selected on the command line
    requests: int = 2000
    concurrency: int = 16
    rounds: int = 4  # requests are split into rounds that alternate between servers
    max_seconds: float = 120.0
    log_dir: str | None = None  # where servers write their output (benchmarks/results/)
    # Load options given on the command line ("requests", "concurrency", "rounds"); a
    # measurement with shorter defaults of its own uses them only when not given.
    given: frozenset = frozenset()


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    fmt: str = "{}"


@dataclass
class Measurement:
    name: str  # also the JSON file name: benchmarks/results/<name>.json
    title: str
    columns: list
    rows: list  # dicts; extra keys beyond the columns go to the JSON only
    summary: list = field(default_factory=list)  # lines printed under the table
    parameters: dict = field(default_factory=dict)

    def table(self):
        header = [column.header for column in self.columns]
        body = [
            [column.fmt.format(row[column.key]) for column in self.columns] for row in self.rows
        ]
        widths = [max(len(cell) for cell in cells) for cells in zip(header, *body, strict=True)]

        def line(cells):
            return " | ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True))

        rule = "-+-".join("-" * width for width in widths)
        return "\n".join([line(header), rule, *(line(cells) for cells in body)])

    def as_dict(self):
        return {
            "name": self.name,
            "title": self.title,
            "parameters": self.parameters,
            "rows": self.rows,
            "summary": self.summary,
        }
