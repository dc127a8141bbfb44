"""An SMS backend for tests that keeps messages in memory (like Django's locmem mail)."""

sent: list[tuple[str, str]] = []


class OutboxSmsBackend:
    def send(self, mobile: str, message: str) -> None:
        sent.append((mobile, message))
