"""One progress line per step, redrawn in place on a terminal, every 10% in a log."""


class ProgressBar:
    def __init__(self, stream, width: int = 30):
        self.stream, self.width = stream, width
        self.interactive = hasattr(stream, "isatty") and stream.isatty()
        self.label, self.shown = None, -1

    def __call__(self, label: str, done: int, total: int) -> None:
        """`total` 0: a count without an end (rows finished so far)."""
        if label != self.label:
            self.close()
            self.label, self.shown = label, -1
        if not total:
            self._write(f"{label}: {done}", done // 5000)
            return
        percent = 100 * done // total
        step = percent if self.interactive else percent // 10
        filled = self.width * percent // 100
        bar = "#" * filled + "-" * (self.width - filled)
        self._write(f"[{bar}] {percent:3d}%  {label}", step)

    def _write(self, line: str, step: int) -> None:
        if step == self.shown:
            return
        self.shown = step
        if self.interactive:
            self.stream.write(f"\r{line}", ending="")
            self.stream.flush()
        else:
            self.stream.write(line)

    def close(self) -> None:
        if self.label is not None and self.interactive:
            self.stream.write("")
        self.label = None
